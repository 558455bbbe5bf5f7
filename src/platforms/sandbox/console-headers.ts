/**
 * The console page's Content Security Policy (https://www.w3.org/TR/CSP3/): its script, style sheet and API are
 * its own files (no inline script or style in index.html; app.js sets styles through the CSSOM, which CSP allows),
 * the favicon is a `data:` URL, and no other site may frame it.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every console answer: the CSP, no MIME sniffing, no framing, no referrer to the links it shows. */
export const CONSOLE_HEADERS = {
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};
