// @ts-check
/*
 * 落实 sandbox console. Plain browser JavaScript, no build step; type-checked from its JSDoc (tsconfig.browser.json,
 * run by `npm run typecheck`) and linted with the browser's globals (eslint.config.mjs).
 *
 * Safety rule: everything that comes from the server (titles, names, reasons, message text) is put on the page
 * with textContent / createElement only, never innerHTML, so a title like `<b>x</b>` shows as literal text.
 */

/**
 * What the server sends, as far as the page reads it (src/platforms/sandbox/receiver.ts; the message is
 * SandboxMessage in src/store/sandbox-repo.ts, the card CardModel in src/domain/card-model.ts).
 *
 * @typedef {{ id: string, name: string, platformRole?: 'owner' | 'admin' | 'member' }} Member
 * @typedef {{ id: string, name: string }} Chat
 * @typedef {{ text: string, mention?: undefined } | { mention: { id: string, name: string }, text?: undefined }} TextSegment
 * @typedef {{ v?: number, act?: string, duty?: string, draft?: string, choice?: string, seal?: string }} ButtonValue
 * @typedef {{ label: string, value: ButtonValue, style?: string, reasonPrompt?: string }} CardButton
 * @typedef {{ label: string, entries: { name: string, note?: string }[], rows?: boolean, total?: number }} CardGroup
 * @typedef {{ label: string, value: string, href?: string }} CardField
 * @typedef {{ title: string, subtitle: string, color: string }} CardHeader
 * @typedef {{ header: CardHeader, banner?: string, fields: CardField[], tally: string, groups: CardGroup[], buttons: CardButton[], footer: string }} Card
 * @typedef {{ id: string, name: string }} Sender
 * @typedef {{ id: string, chatId: string, from: Sender | null, kind: 'text' | 'card', text?: TextSegment[], card?: Card, replyTo?: string, to?: Sender, at: number, updatedAt?: number }} Message
 * @typedef {{ botName?: string, timeZone?: string, chats?: Chat[], chat: Chat | null, members?: Member[], messages?: Message[], more?: boolean }} StateAnswer
 * @typedef {{ messages?: Message[], more?: boolean }} PageAnswer
 * @typedef {{ kind: string, text: string }} Toast
 * @typedef {{ toast?: Toast, card?: Card, personal?: Card }} ActionAnswer
 * @typedef {{ message?: Message, command?: boolean }} MessageAnswer
 * @typedef {{ message?: Message, kept?: boolean, text?: string, error?: string }} UploadAnswer
 * @typedef {{ chatId?: string, message?: Message }} EventData
 */

/**
 * An open 请假 reason form under a card.
 * @typedef {object} ReasonForm
 * @property {string | undefined} act
 * @property {CardButton} button
 * @property {HTMLFormElement} node
 * @property {HTMLElement} label
 * @property {HTMLInputElement} input
 * @property {HTMLButtonElement} submit
 * @property {(b: CardButton | undefined) => void} setButton
 */

/**
 * @typedef {object} ConsoleState
 * @property {string} botName
 * @property {Chat[]} chats
 * @property {Chat | null} chat
 * @property {Member[]} members
 * @property {string | null} memberId
 * @property {Map<string, Message>} messages id -> SandboxMessage
 * @property {string[]} order ids in display order
 * @property {Map<string, HTMLElement>} elements id -> message element
 * @property {Map<string, ReasonForm>} reasonForms message id -> an open 请假 reason form
 * @property {Set<string>} pending message ids with a click in flight
 * @property {Map<string, Card>} personal member id + message id -> the clicker's own copy of a card
 * @property {boolean} sending
 * @property {number} loadSeq
 * @property {boolean} more Older messages exist before the first one shown (the server said so).
 * @property {boolean} loadingOlder A page of older messages is on its way.
 * @property {boolean} loadedOlder At least one older page was loaded in this chat.
 * @property {number} generation Bumped whenever the messages shown are dropped: an older page asked for before then is not used.
 */

(function () {
  'use strict';

  var API = '/sandbox/api';
  /** The member chosen, remembered per chat (`luoshi.sandbox.member:<chat id>`). */
  var MEMBER_KEY = 'luoshi.sandbox.member';
  var CHAT_KEY = 'luoshi.sandbox.chat';

  /** @type {ConsoleState} */
  var state = {
    botName: '落实',
    chats: [],
    chat: null,
    members: [],
    memberId: null,
    /** id -> SandboxMessage */
    messages: new Map(),
    /** ids in display order */
    order: [],
    /** id -> message element */
    elements: new Map(),
    /** message id -> { form, input, value } for an open 请假 reason form */
    reasonForms: new Map(),
    /** message ids with a click in flight */
    pending: new Set(),
    /**
     * member id + message id -> the clicker's own copy of a card (述职评议: their choice, sealed in the buttons),
     * answered to their click only and kept in this page alone: the server keeps no such copy.
     */
    personal: new Map(),
    sending: false,
    loadSeq: 0,
    /** Older messages exist before the first one shown (the server said so). */
    more: false,
    /** A page of older messages is on its way. */
    loadingOlder: false,
    /** At least one older page was loaded in this chat. */
    loadedOlder: false,
    /** Bumped whenever the messages shown are dropped: an older page asked for before then is not used. */
    generation: 0,
  };

  var el = {
    chatName: byId('chat-name'),
    chatPicker: /** @type {HTMLSelectElement} */ (byId('chat')),
    memberCount: byId('member-count'),
    conn: byId('conn'),
    member: /** @type {HTMLSelectElement} */ (byId('member')),
    messages: byId('messages'),
    history: byId('history'),
    older: /** @type {HTMLButtonElement} */ (byId('older')),
    historyNote: byId('history-note'),
    empty: byId('empty'),
    input: /** @type {HTMLTextAreaElement} */ (byId('input')),
    send: /** @type {HTMLButtonElement} */ (byId('send')),
    form: /** @type {HTMLFormElement} */ (byId('composer-form')),
    mention: byId('mention'),
    help: byId('help'),
    attach: /** @type {HTMLButtonElement} */ (byId('attach')),
    file: /** @type {HTMLInputElement} */ (byId('file')),
    speaker: byId('speaker'),
    toast: byId('toast'),
  };

  /**
   * An element of index.html (every id asked for is there).
   * @param {string} id
   * @returns {HTMLElement}
   */
  function byId(id) {
    return /** @type {HTMLElement} */ (document.getElementById(id));
  }

  /**
   * createElement with a class and optional text (always textContent).
   * @template {keyof HTMLElementTagNameMap} K
   * @param {K} tag
   * @param {string} [className]
   * @param {unknown} [text]
   * @returns {HTMLElementTagNameMap[K]}
   */
  function h(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /** @param {string} key */
  function storageGet(key) {
    try {
      return window.localStorage.getItem(key);
    } catch {
      return null;
    }
  }

  /**
   * @param {string} key
   * @param {string} value
   */
  function storageSet(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch {
      /* private mode: not remembered, still works */
    }
  }

  // ---------------------------------------------------------------- HTTP

  /**
   * A call to the console's API: resolves with the JSON answer, rejects with the server's `error` text.
   * @param {'GET' | 'POST'} method
   * @param {string} path
   * @param {unknown} [body]
   * @returns {Promise<unknown>}
   */
  function api(method, path, body) {
    /** @type {RequestInit & { headers: Record<string, string> }} */
    var init = { method: method, headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(API + path, init).then(
      function (res) {
        return res
          .json()
          .catch(function () {
            return {};
          })
          .then(function (/** @type {{ error?: unknown } | null} */ data) {
            if (!res.ok) {
              var message = data && typeof data.error === 'string' ? data.error : '请求失败（' + res.status + '）';
              throw new Error(message);
            }
            return data;
          });
      },
      function () {
        throw new Error('连不上落实服务，请检查服务是否在运行');
      },
    );
  }

  // ---------------------------------------------------------------- state

  function loadState() {
    var seq = ++state.loadSeq;
    var chatId = (state.chat && state.chat.id) || storageGet(CHAT_KEY);
    var query = chatId ? '?chat=' + encodeURIComponent(chatId) + memberQuery('&', chatId) : '';
    return /** @type {Promise<StateAnswer>} */ (api('GET', '/state' + query))
      .catch(function (err) {
        // A remembered chat that no longer exists: fall back to the first chat.
        if (chatId && !state.chat) return /** @type {Promise<StateAnswer>} */ (api('GET', '/state'));
        throw err;
      })
      .then(function (data) {
        if (seq !== state.loadSeq) return;
        applyState(data);
      })
      .catch(function (err) {
        if (seq !== state.loadSeq) return;
        if (!state.chat) el.chatName.textContent = '加载失败';
        showToast('error', err.message);
      });
  }

  /** @param {StateAnswer} data */
  function applyState(data) {
    var chatChanged = !state.chat || !data.chat || state.chat.id !== data.chat.id;
    state.botName = data.botName || '落实';
    state.chats = Array.isArray(data.chats) ? data.chats : [];
    state.chat = data.chat;
    state.members = Array.isArray(data.members) ? data.members : [];
    // Times are shown in the bot's time zone (BOT_TIMEZONE), whatever the browser's own is.
    if (setTimeZone(data.timeZone)) repaintAll();
    if (data.chat) storageSet(CHAT_KEY, data.chat.id);
    renderHeader();
    renderMemberPicker();

    if (chatChanged) clearMessages();
    var incoming = Array.isArray(data.messages) ? data.messages : [];
    var wasEmpty = state.order.length === 0;
    incoming.forEach(function (m) {
      upsert(m, { scroll: false });
    });
    // On a reconnect the older pages already loaded stay; `more` is about what lies before the first one shown.
    if (wasEmpty || chatChanged) state.more = data.more === true;
    updateEmpty();
    renderHistory();
    if (wasEmpty || chatChanged) {
      scrollToBottom();
      fillScreen();
    }
  }

  /** Forget the messages shown (another chat was chosen). */
  function clearMessages() {
    state.messages.clear();
    state.order = [];
    state.elements.forEach(function (node) {
      node.remove();
    });
    state.elements.clear();
    state.reasonForms.clear();
    state.generation++;
    state.more = false;
    state.loadingOlder = false;
    state.loadedOlder = false;
    renderHistory();
  }

  // ---------------------------------------------------------------- older messages (load on scroll up)

  var OLDER_PAGE = 50;
  /** Start loading older messages when the reader is this close to the top (px). */
  var NEAR_TOP = 150;

  /** The strip above the first message: a button to load older ones, "loading", or "nothing older". */
  function renderHistory() {
    var showButton = state.more && state.order.length > 0;
    el.older.hidden = !showButton;
    el.older.disabled = state.loadingOlder;
    el.older.textContent = state.loadingOlder ? '正在加载更早的消息…' : '加载更早的消息';
    var done = !state.more && state.loadedOlder;
    el.historyNote.hidden = !done;
    el.history.hidden = !showButton && !done;
    el.history.setAttribute('data-state', state.loadingOlder ? 'loading' : state.more ? 'more' : 'all');
  }

  function loadOlder() {
    if (!state.more || state.loadingOlder || !state.chat || state.order.length === 0) return;
    var chatId = state.chat.id;
    var generation = state.generation;
    var before = shownAt(0).id;
    state.loadingOlder = true;
    renderHistory();
    var query = '?chat=' + encodeURIComponent(chatId) + '&before=' + encodeURIComponent(before) + '&limit=' + OLDER_PAGE + memberQuery('&', chatId);
    var current = function () {
      return state.generation === generation;
    };
    /** @type {Promise<PageAnswer>} */ (api('GET', '/messages' + query))
      .then(function (page) {
        if (!current()) return;
        prependOlder(Array.isArray(page.messages) ? page.messages : []);
        state.more = page.more === true;
        state.loadedOlder = true;
      })
      .catch(function (err) {
        if (current()) showToast('error', err.message);
      })
      .then(function () {
        if (!current()) return;
        state.loadingOlder = false;
        renderHistory();
        fillScreen();
      });
  }

  /** Still at the top (or the page does not fill the screen) after a load: load the next page too. */
  function fillScreen() {
    if (state.more && !state.loadingOlder && el.messages.scrollTop < NEAR_TOP) loadOlder();
  }

  /**
   * Put a page of older messages above the first one shown, keeping what the reader sees where it is.
   * @param {Message[]} messages
   */
  function prependOlder(messages) {
    var first = state.order.length ? shownAt(0) : null;
    var fresh = messages.filter(function (m) {
      return m && typeof m.id === 'string' && state.chat && m.chatId === state.chat.id && !state.messages.has(m.id);
    });
    // Anything not older than the first message shown (a reordered log) takes the ordinary way in.
    var older = fresh.filter(function (m) {
      return !first || compareMessages(m, first) < 0;
    });
    older.sort(compareMessages);
    var box = el.messages;
    var height = box.scrollHeight;
    var top = box.scrollTop;
    var anchor = first ? state.elements.get(first.id) : null;
    var fragment = document.createDocumentFragment();
    older.forEach(function (m) {
      state.messages.set(m.id, m);
      var node = h('div', 'msg');
      node.setAttribute('data-message-id', m.id);
      state.elements.set(m.id, node);
      fragment.appendChild(node);
    });
    state.order = older
      .map(function (m) {
        return m.id;
      })
      .concat(state.order);
    // Painted once all are known, so a reply among them finds what it quotes.
    older.forEach(function (m) {
      paint(state.elements.get(m.id), m);
    });
    box.insertBefore(fragment, anchor || null);
    /** @type {Record<string, boolean>} */
    var added = {};
    older.forEach(function (m) {
      added[m.id] = true;
    });
    // Messages already shown that quote one of these now show their 回复 line.
    state.order.forEach(function (id) {
      var m = state.messages.get(id);
      if (m && m.replyTo && added[m.replyTo] && !added[id]) paint(state.elements.get(id), m);
    });
    box.scrollTop = top + (box.scrollHeight - height);
    fresh.forEach(function (m) {
      if (!added[m.id]) upsert(m, { scroll: false });
    });
    updateEmpty();
  }

  /**
   * The message shown at `index` in display order (every id in state.order has its message).
   * @param {number} index
   * @returns {Message}
   */
  function shownAt(index) {
    return /** @type {Message} */ (state.messages.get(/** @type {string} */ (state.order[index])));
  }

  /**
   * @param {Message} incoming
   * @param {Message} existing
   */
  function isNewer(incoming, existing) {
    var a = incoming.updatedAt || incoming.at || 0;
    var b = existing.updatedAt || existing.at || 0;
    return a >= b;
  }

  /** @param {string} id */
  function seqOf(id) {
    var match = /^m(\d+)$/.exec(id);
    return match ? Number(match[1]) : NaN;
  }

  /**
   * @param {Message} a
   * @param {Message} b
   */
  function compareMessages(a, b) {
    var sa = seqOf(a.id);
    var sb = seqOf(b.id);
    if (!isNaN(sa) && !isNaN(sb)) return sa - sb;
    return (a.at || 0) - (b.at || 0);
  }

  /**
   * Insert or replace a message (an update replaces the message with the same id).
   * @param {Message} message
   * @param {{ scroll: boolean }} [options]
   */
  function upsert(message, options) {
    if (!message || typeof message.id !== 'string') return;
    if (state.chat && message.chatId !== state.chat.id) return;
    if (!visible(message)) return;
    var existing = state.messages.get(message.id);
    if (existing) {
      if (!isNewer(message, existing)) return;
      state.messages.set(message.id, message);
      paint(state.elements.get(message.id), message);
      return;
    }
    state.messages.set(message.id, message);
    // Usually the new message goes last; keep the order by id otherwise.
    var index = state.order.length;
    while (index > 0 && compareMessages(shownAt(index - 1), message) > 0) index--;
    state.order.splice(index, 0, message.id);
    var node = h('div', 'msg');
    node.setAttribute('data-message-id', message.id);
    paint(node, message);
    state.elements.set(message.id, node);
    var before = index + 1 < state.order.length ? state.elements.get(shownAt(index + 1).id) : null;
    var nearBottom = isNearBottom();
    el.messages.insertBefore(node, before || null);
    // Messages that quote this one may now show their 回复 line.
    state.order.forEach(function (id) {
      var m = state.messages.get(id);
      if (m && m.replyTo === message.id) paint(state.elements.get(id), m);
    });
    updateEmpty();
    var mine = message.from && message.from.id === state.memberId;
    if (options && options.scroll !== false && (nearBottom || mine)) scrollToBottom();
  }

  function updateEmpty() {
    el.empty.hidden = state.order.length > 0;
  }

  /** After sending, the bot's answer should scroll into view too, even if layout is still settling. */
  var stickUntil = 0;

  function isNearBottom() {
    var box = el.messages;
    return Date.now() < stickUntil || box.scrollHeight - box.scrollTop - box.clientHeight < 160;
  }

  function scrollToBottom() {
    var box = el.messages;
    box.scrollTop = box.scrollHeight;
  }

  /**
   * A message meant for one member only (the organizer's 签到码: the console's one-to-one message) is shown only
   * while speaking as them; the server gives it to no one else (receiver.ts).
   * @param {Message} message
   */
  function visible(message) {
    return !message.to || message.to.id === state.memberId;
  }

  /**
   * `member=<id>` for the API: the member the console speaks as (or the one remembered for the chat), so the server
   * includes the messages meant for them only.
   * @param {string} sep `?` or `&`
   * @param {string | null} [chatId]
   */
  function memberQuery(sep, chatId) {
    var id = state.memberId || (chatId ? storageGet(MEMBER_KEY + ':' + chatId) : null);
    return id ? sep + 'member=' + encodeURIComponent(id) : '';
  }

  /** Take away the messages meant for someone other than the member now speaking. */
  function dropHidden() {
    state.order.slice().forEach(function (id) {
      var m = state.messages.get(id);
      if (!m || visible(m)) return;
      state.messages.delete(id);
      state.order.splice(state.order.indexOf(id), 1);
      var node = state.elements.get(id);
      if (node) node.remove();
      state.elements.delete(id);
    });
    updateEmpty();
  }

  /** @returns {Member | null} */
  function currentMember() {
    for (var i = 0; i < state.members.length; i++) {
      var m = state.members[i];
      if (m && m.id === state.memberId) return m;
    }
    return null;
  }

  // ---------------------------------------------------------------- header and member picker

  function renderHeader() {
    var chat = state.chat;
    el.chatName.textContent = chat ? chat.name : '没有群聊';
    document.title = (chat ? chat.name + ' · ' : '') + state.botName + ' 沙盒';
    el.memberCount.textContent = state.members.length ? state.members.length + ' 位成员' : '';
    while (el.chatPicker.firstChild) el.chatPicker.removeChild(el.chatPicker.firstChild);
    if (state.chats.length > 1) {
      state.chats.forEach(function (c) {
        var option = h('option', '', c.name);
        option.value = c.id;
        if (chat && c.id === chat.id) option.selected = true;
        el.chatPicker.appendChild(option);
      });
      el.chatPicker.hidden = false;
    } else {
      el.chatPicker.hidden = true;
    }
  }

  function renderMemberPicker() {
    var members = state.members;
    var remembered = state.chat ? storageGet(MEMBER_KEY + ':' + state.chat.id) : null;
    /** @type {string | null} */
    var chosen = null;
    [state.memberId, remembered].forEach(function (id) {
      if (!chosen && id && members.some(function (m) { return m.id === id; })) chosen = id;
    });
    if (!chosen) {
      var owner = members.find(function (m) { return m.platformRole === 'owner'; });
      chosen = owner ? owner.id : members[0] ? members[0].id : null;
    }
    while (el.member.firstChild) el.member.removeChild(el.member.firstChild);
    members.forEach(function (m) {
      var option = h('option', '', m.name);
      option.value = m.id;
      if (m.id === chosen) option.selected = true;
      el.member.appendChild(option);
    });
    setMember(chosen, false);
  }

  /**
   * @param {string | null} id
   * @param {boolean} remember
   */
  function setMember(id, remember) {
    var changed = state.memberId !== id;
    state.memberId = id;
    if (id && el.member.value !== id) el.member.value = id;
    if (remember && id && state.chat) storageSet(MEMBER_KEY + ':' + state.chat.id, id);
    var me = currentMember();
    el.speaker.textContent = me ? '正在以「' + me.name + '」' + (me.platformRole === 'owner' ? '（书记）' : '') + '的身份发言' : '';
    el.send.disabled = !me || state.sending;
    if (changed) {
      dropHidden();
      repaintAll();
      // The event stream and the state name the member: reconnect to be given what is meant for them only.
      if (id) connect();
    }
  }

  function repaintAll() {
    state.order.forEach(function (id) {
      paint(state.elements.get(id), state.messages.get(id));
    });
  }

  // ---------------------------------------------------------------- messages

  /**
   * Every time the page shows, formatted in `timeZone`: the bot's (BOT_TIMEZONE, which the state carries). Before
   * the state has come, or in a browser that does not know the zone, the browser's own.
   * @param {string | undefined} timeZone
   */
  function timeFormats(timeZone) {
    return {
      timeZone: timeZone,
      time: safeFormat(timeZone, { hour: '2-digit', minute: '2-digit', hour12: false }),
      dateTime: safeFormat(timeZone, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }),
      day: safeFormat(timeZone, { year: 'numeric', month: 'numeric', day: 'numeric' }),
    };
  }

  var formats = timeFormats(undefined);

  /**
   * Use the bot's time zone from now on.
   * @param {string | undefined} timeZone
   * @returns {boolean} whether it changed (the times shown need painting again)
   */
  function setTimeZone(timeZone) {
    if (!timeZone || timeZone === formats.timeZone) return false;
    formats = timeFormats(timeZone);
    return true;
  }

  /**
   * @param {string | undefined} timeZone
   * @param {Intl.DateTimeFormatOptions} options
   */
  function safeFormat(timeZone, options) {
    try {
      return new Intl.DateTimeFormat('zh-CN', Object.assign({ timeZone: timeZone }, options));
    } catch {
      return new Intl.DateTimeFormat('zh-CN', options);
    }
  }

  /** @param {unknown} at */
  function formatTime(at) {
    if (typeof at !== 'number') return '';
    var d = new Date(at);
    return formats.day.format(d) === formats.day.format(new Date()) ? formats.time.format(d) : formats.dateTime.format(d);
  }

  /** @param {TextSegment[] | undefined} rich */
  function plainText(rich) {
    if (!Array.isArray(rich)) return '';
    return rich
      .map(function (seg) {
        if (seg && typeof seg.text === 'string') return seg.text;
        if (seg && seg.mention) return '@' + seg.mention.name;
        return '';
      })
      .join('');
  }

  /** @param {Message | undefined} message */
  function summary(message) {
    if (!message) return '';
    if (message.kind === 'card' && message.card) return '[卡片] ' + message.card.header.title;
    return plainText(message.text).replace(/\s+/g, ' ');
  }

  /** @param {Message} message */
  function senderName(message) {
    return message.from ? message.from.name : state.botName;
  }

  var AVATAR_COLORS = ['#3b7ddd', '#2f9e6e', '#d9822b', '#8e5bd6', '#1f9bb4', '#c2507a', '#6b7a90'];

  /** @param {Message} message */
  function avatarFor(message) {
    if (!message.from) {
      var bot = h('div', 'avatar avatar-bot', state.botName.slice(0, 1));
      bot.setAttribute('aria-hidden', 'true');
      return bot;
    }
    var name = message.from.name || '?';
    var node = h('div', 'avatar', name.slice(-2));
    var sum = 0;
    for (var i = 0; i < message.from.id.length; i++) sum += message.from.id.charCodeAt(i);
    node.style.backgroundColor = AVATAR_COLORS[sum % AVATAR_COLORS.length] || '';
    node.setAttribute('aria-hidden', 'true');
    return node;
  }

  /**
   * (Re)build a message element's content. An open 请假 form and its focus survive the rebuild.
   * @param {HTMLElement | undefined} node
   * @param {Message | undefined} message
   */
  function paint(node, message) {
    if (!node || !message) return;
    var active = document.activeElement;
    var focused = active instanceof HTMLInputElement && node.contains(active) ? active : null;
    var selStart = focused ? focused.selectionStart : 0;
    var selEnd = focused ? focused.selectionEnd : 0;

    var from = message.from;
    var isBot = !from;
    var mine = !!from && from.id === state.memberId;
    node.className = 'msg' + (isBot ? ' msg-bot' : '') + (mine ? ' msg-mine' : '') + (message.to ? ' msg-private' : '');
    node.setAttribute('data-kind', message.kind);
    while (node.firstChild) node.removeChild(node.firstChild);

    node.appendChild(avatarFor(message));
    var main = h('div', 'msg-main');
    var meta = h('div', 'msg-meta');
    meta.appendChild(h('span', 'msg-name', senderName(message) + (mine ? '（我）' : '')));
    if (isBot) meta.appendChild(h('span', 'msg-badge', '机器人'));
    if (message.to) meta.appendChild(h('span', 'msg-badge msg-badge-private', '仅' + message.to.name + '可见'));
    var time = h('time', 'msg-time', formatTime(message.at));
    if (typeof message.at === 'number') time.setAttribute('datetime', new Date(message.at).toISOString());
    meta.appendChild(time);
    main.appendChild(meta);

    var quoted = message.replyTo ? state.messages.get(message.replyTo) : undefined;
    if (quoted) main.appendChild(renderQuote(quoted));

    if (message.kind === 'card' && message.card) main.appendChild(renderCard(message, personalView(message, message.card)));
    else main.appendChild(renderText(message));
    node.appendChild(main);

    if (focused && focused.isConnected) {
      focused.focus();
      try {
        focused.setSelectionRange(selStart, selEnd);
      } catch {
        /* not a text input */
      }
    }
  }

  /**
   * The 回复 line above a reply: who and what it quotes; a click scrolls to the quoted message.
   * @param {Message} quoted
   */
  function renderQuote(quoted) {
    var quote = h('button', 'reply-quote');
    quote.type = 'button';
    quote.title = '跳到原消息';
    quote.appendChild(h('span', 'reply-label', '回复'));
    quote.appendChild(h('span', 'reply-who', senderName(quoted) + '：'));
    quote.appendChild(h('span', 'reply-text', summary(quoted)));
    quote.addEventListener('click', function () {
      var target = state.elements.get(quoted.id);
      if (!target) return;
      target.scrollIntoView({ behavior: 'smooth', block: 'center' });
      target.classList.remove('flash');
      void target.offsetWidth;
      target.classList.add('flash');
    });
    return quote;
  }

  /** @param {Message} message */
  function renderText(message) {
    var bubble = h('div', 'bubble');
    var segments = Array.isArray(message.text) ? message.text : [];
    var mention = '@' + state.botName;
    segments.forEach(function (seg) {
      if (seg && seg.mention) {
        bubble.appendChild(h('span', 'mention', '@' + seg.mention.name));
      } else if (seg && typeof seg.text === 'string') {
        // Highlight "@落实" in members' messages: it is what makes a message a command.
        var parts = message.from ? seg.text.split(mention) : [seg.text];
        parts.forEach(function (part, i) {
          if (i > 0) bubble.appendChild(h('span', 'mention', mention));
          if (part) bubble.appendChild(document.createTextNode(part));
        });
      }
    });
    return bubble;
  }

  /** @type {Record<string, number>} */
  var COLORS = { blue: 1, green: 1, orange: 1, red: 1, grey: 1, purple: 1 };

  /** @param {unknown} href */
  function safeHref(href) {
    return typeof href === 'string' && /^https?:\/\//i.test(href) ? href : null;
  }

  /**
   * The card as the member at the console sees it: their own copy's fields and buttons (their choice) over the
   * shared card, while the shared card still has buttons (a closed card is shown as it is).
   * @param {Message} message
   * @param {Card} card
   * @returns {Card}
   */
  function personalView(message, card) {
    var me = currentMember();
    var own = me ? state.personal.get(me.id + '\n' + message.id) : undefined;
    if (!own || card.buttons.length === 0) return card;
    return Object.assign({}, card, { fields: own.fields, buttons: own.buttons });
  }

  /**
   * @param {Message} message
   * @param {Card} card the message's card
   */
  function renderCard(message, card) {
    var header = card.header || { title: '', subtitle: '', color: 'blue' };
    var color = COLORS[header.color] ? header.color : 'blue';
    var root = h('article', 'card card-' + color);
    root.setAttribute('aria-label', header.title || '卡片');

    var head = h('header', 'card-header');
    head.appendChild(h('div', 'card-title', header.title));
    if (header.subtitle) head.appendChild(h('div', 'card-subtitle', header.subtitle));
    root.appendChild(head);

    if (card.banner) root.appendChild(h('div', 'card-banner', card.banner));

    var fields = Array.isArray(card.fields) ? card.fields : [];
    if (fields.length) {
      var list = h('dl', 'card-fields');
      fields.forEach(function (f) {
        var row = h('div', 'card-field');
        row.appendChild(h('dt', 'card-field-label', f.label));
        var dd = h('dd', 'card-field-value');
        var href = safeHref(f.href);
        if (href) {
          var a = h('a', '', f.value);
          a.href = href;
          a.target = '_blank';
          a.rel = 'noopener';
          dd.appendChild(a);
        } else {
          dd.textContent = f.value;
        }
        row.appendChild(dd);
        list.appendChild(row);
      });
      root.appendChild(list);
    }

    if (card.tally) root.appendChild(h('div', 'card-tally', card.tally));

    var groups = Array.isArray(card.groups) ? card.groups : [];
    if (groups.length) {
      var box = h('div', 'card-groups');
      groups.forEach(function (g) {
        var entries = Array.isArray(g.entries) ? g.entries : [];
        var row = h('div', 'card-group');
        row.setAttribute('data-group', g.label);
        var label = h('div', 'card-group-label');
        label.appendChild(h('span', '', g.label));
        // `total`: the group stands for more than it lists (通报's units beyond the card are on its page).
        var more = typeof g.total === 'number' && g.total > entries.length ? g.total - entries.length : 0;
        label.appendChild(h('span', 'card-group-count', String(entries.length + more)));
        row.appendChild(label);
        var names = h('div', 'card-group-names');
        if (!entries.length) names.appendChild(h('span', 'card-group-none', '无'));
        var me = currentMember();
        entries.forEach(function (e) {
          var chip = h('span', 'chip', e.note ? e.name + '（' + e.note + '）' : e.name);
          if (me && e.name === me.name) chip.classList.add('chip-me');
          names.appendChild(chip);
        });
        if (more) names.appendChild(h('span', 'card-group-none', '另有 ' + more + ' 项未列出'));
        row.appendChild(names);
        box.appendChild(row);
      });
      root.appendChild(box);
    }

    var buttons = Array.isArray(card.buttons) ? card.buttons : [];
    if (buttons.length) {
      var actions = h('div', 'card-actions');
      buttons.forEach(function (b) {
        var act = b.value && typeof b.value.act === 'string' ? b.value.act : '';
        var btn = h('button', 'card-btn card-btn-' + (b.style || 'default'), b.label);
        btn.type = 'button';
        btn.setAttribute('data-act', act);
        btn.disabled = state.pending.has(message.id) || !state.memberId;
        if (b.reasonPrompt) {
          var open = state.reasonForms.get(message.id);
          if (open && open.act === act) btn.classList.add('card-btn-active');
          btn.setAttribute('aria-haspopup', 'true');
        }
        btn.addEventListener('click', function () {
          onButton(message.id, b);
        });
        actions.appendChild(btn);
      });
      root.appendChild(actions);
    }

    // Keep an open reason form (same input element, so focus and text survive an update).
    var form = state.reasonForms.get(message.id);
    if (form) {
      var formAct = form.act;
      var still = buttons.some(function (b) {
        return b.reasonPrompt && b.value && b.value.act === formAct;
      });
      if (still) {
        form.setButton(buttons.find(function (b) { return b.value && b.value.act === formAct; }));
        form.submit.disabled = state.pending.has(message.id);
        var who = currentMember();
        form.label.textContent = (who ? '以「' + who.name + '」的身份' : '') + form.button.label + '：' + form.button.reasonPrompt;
        root.appendChild(form.node);
      } else {
        state.reasonForms.delete(message.id);
      }
    }

    if (card.footer) root.appendChild(h('footer', 'card-footer', card.footer));
    return root;
  }

  // ---------------------------------------------------------------- card clicks

  /**
   * @param {string} messageId
   * @param {CardButton} button
   */
  function onButton(messageId, button) {
    if (button.reasonPrompt) {
      toggleReasonForm(messageId, button);
      return;
    }
    sendAction(messageId, button.value, undefined);
  }

  /**
   * Open the reason form of a button with a reasonPrompt (or focus it, when open).
   * @param {string} messageId
   * @param {CardButton} button
   */
  function toggleReasonForm(messageId, button) {
    var act = button.value && button.value.act;
    var prompt = button.reasonPrompt || '';
    var existing = state.reasonForms.get(messageId);
    if (existing && existing.act === act) {
      existing.input.focus();
      return;
    }
    var node = h('form', 'card-reason');
    node.setAttribute('novalidate', '');
    var input = h('input', 'card-reason-input');
    input.type = 'text';
    input.maxLength = 200;
    input.placeholder = prompt;
    input.setAttribute('aria-label', prompt);
    var submit = h('button', 'card-btn card-btn-primary card-reason-submit', '提交');
    submit.type = 'submit';
    var cancel = h('button', 'card-btn card-btn-default card-reason-cancel', '取消');
    cancel.type = 'button';
    var row = h('div', 'card-reason-row');
    row.appendChild(input);
    row.appendChild(submit);
    row.appendChild(cancel);
    var label = h('div', 'card-reason-label');
    node.appendChild(label);
    node.appendChild(row);
    /** @type {ReasonForm} */
    var entry = {
      act: act,
      button: button,
      node: node,
      label: label,
      input: input,
      submit: submit,
      setButton: function (b) {
        if (b) entry.button = b;
      },
    };

    node.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var reason = input.value.trim();
      if (!reason) {
        input.classList.add('invalid');
        input.focus();
        showToast('warning', prompt);
        return;
      }
      sendAction(messageId, entry.button.value, { reason: reason }).then(function (ok) {
        if (!ok) return;
        if (state.reasonForms.get(messageId) === entry) {
          state.reasonForms.delete(messageId);
          node.remove();
          repaintOne(messageId);
        }
      });
    });
    input.addEventListener('input', function () {
      input.classList.remove('invalid');
    });
    input.addEventListener('keydown', function (ev) {
      if (ev.key === 'Escape') closeForm();
    });
    cancel.addEventListener('click', closeForm);
    function closeForm() {
      if (state.reasonForms.get(messageId) === entry) state.reasonForms.delete(messageId);
      repaintOne(messageId);
    }

    state.reasonForms.set(messageId, entry);
    repaintOne(messageId);
    input.focus();
  }

  /** @param {string} id */
  function repaintOne(id) {
    paint(state.elements.get(id), state.messages.get(id));
  }

  /**
   * Resolves true when the server accepted the click.
   * @param {string} messageId
   * @param {ButtonValue} value
   * @param {{ reason: string } | undefined} form
   * @returns {Promise<boolean>}
   */
  function sendAction(messageId, value, form) {
    var me = currentMember();
    if (!me || !state.chat) {
      showToast('warning', '请先选择成员身份');
      return Promise.resolve(false);
    }
    if (state.pending.has(messageId)) return Promise.resolve(false);
    var before = state.messages.get(messageId);
    var stamp = before ? before.updatedAt || before.at : 0;
    state.pending.add(messageId);
    repaintOne(messageId);
    /** @type {{ chatId: string, messageId: string, actorId: string, value: ButtonValue, form?: { reason: string } }} */
    var body = { chatId: state.chat.id, messageId: messageId, actorId: me.id, value: value };
    if (form) body.form = form;
    return /** @type {Promise<ActionAnswer | null>} */ (api('POST', '/actions', body))
      .then(function (result) {
        var toast = result && result.toast ? result.toast : { kind: 'success', text: '已提交' };
        showToast(toast.kind, toast.text);
        // The server pushes the new card over SSE; use the answer only if nothing newer came in meanwhile.
        var now = state.messages.get(messageId);
        if (result && result.card && now && (now.updatedAt || now.at) === stamp) {
          state.messages.set(messageId, Object.assign({}, now, { card: result.card }));
        }
        if (result && result.personal && me) state.personal.set(me.id + '\n' + messageId, result.personal);
        return toast.kind !== 'error' && toast.kind !== 'warning';
      })
      .catch(function (err) {
        showToast('error', err.message);
        return false;
      })
      .then(function (ok) {
        state.pending.delete(messageId);
        repaintOne(messageId);
        return ok;
      });
  }

  // ---------------------------------------------------------------- composer

  /**
   * Resolves true when the server took the message.
   * @param {string} text
   * @returns {Promise<boolean>}
   */
  function sendText(text) {
    var me = currentMember();
    text = (text || '').trim();
    if (!text) {
      el.input.focus();
      return Promise.resolve(false);
    }
    if (!me || !state.chat) {
      showToast('warning', '请先选择成员身份');
      return Promise.resolve(false);
    }
    if (state.sending) return Promise.resolve(false);
    state.sending = true;
    el.send.disabled = true;
    return /** @type {Promise<MessageAnswer | null>} */ (api('POST', '/messages', { chatId: state.chat.id, senderId: me.id, text: text }))
      .then(function (result) {
        stickUntil = Date.now() + 5000;
        if (result && result.message) upsert(result.message, { scroll: true });
        scrollToBottom();
        return true;
      })
      .catch(function (err) {
        showToast('error', err.message);
        return false;
      })
      .then(function (ok) {
        state.sending = false;
        el.send.disabled = !currentMember();
        return ok;
      });
  }

  function submitComposer() {
    var text = el.input.value;
    sendText(text).then(function (ok) {
      if (ok && el.input.value === text) {
        el.input.value = '';
        autoGrow();
      }
      el.input.focus();
    });
  }

  /**
   * The 📎 button: the chosen file is posted as it is (streamed by the browser, application/octet-stream) to
   * /sandbox/api/files; the bot answers in the chat (a card to pick the duty, or why the file was refused).
   * @param {File} file
   */
  function uploadFile(file) {
    var me = currentMember();
    if (!me || !state.chat) {
      showToast('warning', '请先选择成员身份');
      return;
    }
    var query = ['chat=' + encodeURIComponent(state.chat.id), 'sender=' + encodeURIComponent(me.id), 'name=' + encodeURIComponent(file.name)].join('&');
    el.attach.disabled = true;
    fetch(API + '/files?' + query, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json' },
      body: file,
    })
      .then(
        function (res) {
          return /** @type {Promise<UploadAnswer>} */ (res.json()).catch(function () {
            return /** @type {UploadAnswer} */ ({ error: '上传失败（' + res.status + '）' });
          });
        },
        function () {
          return /** @type {UploadAnswer} */ ({ error: '连不上落实服务，请检查服务是否在运行' });
        },
      )
      .then(function (answer) {
        stickUntil = Date.now() + 5000;
        if (answer.message) upsert(answer.message, { scroll: true });
        scrollToBottom();
        if (answer.error) showToast('error', answer.error);
        else if (answer.kept === false && answer.text) showToast('warning', answer.text);
      })
      .then(function () {
        el.attach.disabled = false;
        el.file.value = '';
      });
  }

  function insertMention() {
    var input = el.input;
    var mention = '@' + state.botName + ' ';
    var value = input.value;
    var start = typeof input.selectionStart === 'number' ? input.selectionStart : value.length;
    var end = typeof input.selectionEnd === 'number' ? input.selectionEnd : value.length;
    if (value.indexOf('@' + state.botName) >= 0) {
      input.focus();
      return;
    }
    var beforeText = value.slice(0, start);
    var prefix = beforeText && !/\s$/.test(beforeText) ? ' ' : '';
    input.value = beforeText + prefix + mention + value.slice(end);
    var caret = (beforeText + prefix + mention).length;
    input.focus();
    input.setSelectionRange(caret, caret);
    autoGrow();
  }

  function autoGrow() {
    var input = el.input;
    if (input.tagName !== 'TEXTAREA') return;
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight, 160) + 'px';
  }

  // ---------------------------------------------------------------- toast

  /** @type {number | null} */
  var toastTimer = null;

  /**
   * @param {string | undefined} kind success, info, warning or error
   * @param {string | undefined} text
   */
  function showToast(kind, text) {
    if (!text) return;
    el.toast.textContent = text;
    el.toast.className = 'toast toast-' + (kind || 'info') + ' toast-show';
    el.toast.hidden = false;
    el.toast.setAttribute('data-kind', kind || 'info');
    if (toastTimer) clearTimeout(toastTimer);
    toastTimer = setTimeout(function () {
      el.toast.classList.remove('toast-show');
      toastTimer = setTimeout(function () {
        el.toast.hidden = true;
        toastTimer = null;
      }, 250);
    }, kind === 'error' ? 5000 : 3000);
  }

  // ---------------------------------------------------------------- live updates (SSE)

  /** @type {EventSource | null} */
  var source = null;
  /** @type {number | null} */
  var reconnectTimer = null;

  /**
   * @param {string} stateName
   * @param {string} label
   */
  function setConn(stateName, label) {
    el.conn.setAttribute('data-state', stateName);
    el.conn.textContent = label;
  }

  /**
   * Reconnect after `delay` ms (once: a pending reconnect is not doubled).
   * @param {number} delay
   */
  function reconnectSoon(delay) {
    if (reconnectTimer) return;
    reconnectTimer = setTimeout(function () {
      reconnectTimer = null;
      connect();
    }, delay);
  }

  function connect() {
    if (source) source.close();
    setConn('connecting', '连接中');
    var stream = new EventSource(API + '/events' + memberQuery('?', state.chat && state.chat.id));
    source = stream;
    stream.addEventListener('open', function () {
      setConn('live', '实时');
      // First connection and every reconnect: fetch the state again, so nothing missed while away is lost.
      loadState();
    });
    stream.addEventListener('message', onEvent);
    stream.addEventListener('update', onEvent);
    // The server is stopping: it says so before it ends the stream (receiver.ts closeStreams).
    stream.addEventListener('shutdown', function () {
      stream.close();
      setConn('down', '服务已停止');
      reconnectSoon(2000);
    });
    stream.addEventListener('error', function () {
      // Lost either way: CLOSED (the server refused the stream) or CONNECTING (the browser retries by itself).
      setConn('down', '已断开，重连中');
      if (stream.readyState === EventSource.CLOSED) reconnectSoon(3000);
    });
  }

  /** @param {MessageEvent<string>} ev a `message` or `update` event: `{ type, chatId, message }` */
  function onEvent(ev) {
    /** @type {EventData | null} */
    var data;
    try {
      data = JSON.parse(ev.data);
    } catch {
      return;
    }
    if (!data || !data.message || !state.chat || data.chatId !== state.chat.id) return;
    upsert(data.message, { scroll: true });
  }

  // ---------------------------------------------------------------- wiring

  el.member.addEventListener('change', function () {
    setMember(el.member.value, true);
  });

  el.chatPicker.addEventListener('change', function () {
    var id = el.chatPicker.value;
    storageSet(CHAT_KEY, id);
    state.chat = { id: id, name: '' };
    // Each chat has its own members: the one remembered for that chat, else its secretary (renderMemberPicker).
    state.memberId = null;
    clearMessages();
    loadState();
  });

  el.messages.addEventListener('scroll', function () {
    if (el.messages.scrollTop < NEAR_TOP) loadOlder();
  }, { passive: true });
  el.older.addEventListener('click', loadOlder);

  el.form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    submitComposer();
  });

  el.input.addEventListener('keydown', function (ev) {
    // Enter sends, Shift+Enter breaks the line; never while an IME is composing Chinese.
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing && ev.keyCode !== 229) {
      ev.preventDefault();
      submitComposer();
    }
  });
  el.input.addEventListener('input', autoGrow);

  el.mention.addEventListener('click', insertMention);
  el.attach.addEventListener('click', function () {
    el.file.click();
  });
  el.file.addEventListener('change', function () {
    var chosen = el.file.files && el.file.files[0];
    if (chosen) uploadFile(chosen);
  });
  el.help.addEventListener('click', function () {
    sendText('@' + state.botName + ' 帮助');
  });

  document.querySelectorAll('[data-example]').forEach(function (btn) {
    btn.addEventListener('click', function () {
      el.input.value = btn.getAttribute('data-example') || '';
      autoGrow();
      el.input.focus();
    });
  });

  loadState();
  connect();
})();
