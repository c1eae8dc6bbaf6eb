/** The demo's one time format, for chat lines and the panel's log alike: 24-hour HH:MM:SS, local time. */
export function clockTime(at: number): string {
  const date = new Date(at);
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((part) => String(part).padStart(2, '0')).join(':');
}
