/**
 * 积分 (党员积分制管理, issue 15): the points each record of a duty earns a member, as data. These are the defaults;
 * an operator changes any of them without code in `<DATA_DIR>/points.yaml` (format: data/points.example.yaml),
 * read and validated with zod at start (src/store/points-rules-file.ts, src/domain/points-rules.ts).
 *
 * Points are never stored: they are computed from the records every time (src/domain/points.ts).
 */
export const DEFAULT_POINTS_RULES = {
  /** 签到 at a meeting or study session that has ended (or, where sign-in was not used, 报名参加). */
  签到: 2,
  /** 签到 more than 10 minutes after the start (src/domain/signin.ts LATE_AFTER_MS). */
  迟到: 1,
  /** 请假 (with a reason) and did not come. */
  请假: 0,
  /** Neither signed in nor on leave, or marked 缺席 by a secretary. */
  缺席: -2,
  /** A report (报告, 述职, 材料) submitted by its deadline. */
  报告按时: 3,
  /** Submitted after the deadline (kept, marked late). */
  报告逾期: 1,
  /** Not submitted once the deadline has passed. */
  报告未交: -2,
  /** The recorder (记录人, else the organizer) filed the minutes before the first minutes reminder. */
  纪要按时: 1,
  /** The most a member's points of one calendar month (Beijing time) count for; what is over is shown, not counted. */
  每月上限: 20,
} as const;
