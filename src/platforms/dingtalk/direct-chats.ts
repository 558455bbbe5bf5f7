/**
 * One-to-one conversations with the robot. Their messages carry a `conversationId` like a group's, but nothing is
 * sent to it: a one-to-one chat is reached by its user, through `POST /v1.0/robot/oToMessages/batchSend`
 * (https://open.dingtalk.com/document/development/chatbots-send-one-on-one-chat-messages-in-batches) and cards in
 * the `IM_ROBOT` space of that user (https://open.dingtalk.com/document/development/create-and-deliver-cards).
 * The user is remembered once (a later message cannot move the chat to another user), kept a year from the last
 * message, and dropped by a group message from the same conversation.
 */
export interface DirectChats {
  remember(chatId: string, userId: string): Promise<void>;
  /** A group message came from this conversation: it is no one-to-one chat. */
  forget(chatId: string): Promise<void>;
  /** The user of a one-to-one conversation; undefined for a group. */
  userOf(chatId: string): Promise<string | undefined>;
}
