/**
 * Content-Security-Policy of every renderer page served by the host: nothing but the app's own
 * scripts and styles, and WebSocket connections back to the host.
 *
 * `renderer/index.html` carries the Electron renderer's stricter policy in a `<meta>` tag (no
 * network at all: Electron windows talk to main over IPC). A browser enforces both a header and a
 * meta policy, so the host serves the page without that tag and this header governs alone.
 */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:* ws://[::1]:*",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const META_CSP = /<meta\b[^>]*http-equiv\s*=\s*["']?Content-Security-Policy["']?[^>]*>\s*/gi;

/** `html` without its `<meta http-equiv="Content-Security-Policy">` tags (the host sends its policy as a header). */
export function withoutMetaCsp(html: string): string {
  return html.replace(META_CSP, '');
}
