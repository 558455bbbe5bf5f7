/** One line for what `readMessage` read, as the message table writes its expectations. */
export function summary(data: Readonly<Record<string, unknown>>): string {
  const at = (v: unknown): string => String(v).replace(/:00\+08:00$/, '').replace('T', ' ');
  const n = (v: unknown): string => `#${String(v)}`;
  if (typeof data.error === 'string') return `✗ ${data.error}`;
  switch (data.command) {
    case 'create':
      return [data.label, data.title, data.at === undefined ? data.rule : at(data.at), data.place].filter((v) => v !== undefined).join('|');
    case 'cancel':
      return `取消 ${(data.numbers as number[]).map(n).join(' ')}`.trim();
    case 'reschedule':
      return `改期 ${data.series === undefined ? n(data.number) : `系列${String(data.series)}`} ${data.at === undefined ? String(data.rule) : at(data.at)}`;
    case 'stop-series':
      return `停止 系列${String(data.series)}`;
    case 'stats':
      return `统计 ${String(data.period)}`;
    case 'leave':
      return `请假 ${n(data.number)}${data.reason === undefined ? '' : ` ${String(data.reason)}`}`;
    case 'reminders':
      return `提醒 ${n(data.number)} ${String(data.reminders)}`;
    default:
      return data.number === undefined ? String(data.command) : `${String(data.command)} ${n(data.number)}`;
  }
}
