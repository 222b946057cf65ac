/**
 * Hostile message texts the browser tests send through the public APIs (the messenger's, the live
 * chat's): script tags, event attributes, `javascript:` and `data:` links, malformed BB-code. Each
 * tries to set `window.__xss` or open an alert.
 */
export const XSS_TEXTS = [
  '<script>window.__xss = 1</script>',
  '<img src=x onerror="window.__xss = 2">',
  '[URL=javascript:window.__xss=3]click me[/URL]',
  '[URL=JaVaScRiPt&#58;alert(3)]entity[/URL] [URL= javascript:alert(3)]space[/URL] [URL=java\tscript:alert(3)]tab[/URL]',
  '[URL=data:text/html,<script>alert(4)</script>]data[/URL]',
  '[COLOR=red" onmouseover="window.__xss=5]colour[/COLOR] [SIZE=12px;background:url(javascript:alert(5))]size[/SIZE]',
  '[USER=1" onclick="window.__xss=6]user[/USER] [CHAT=1 onclick=alert(6)]chat[/CHAT]',
  '[SEND=<img src=x onerror=window.__xss=7>]send[/SEND] [PUT="><svg onload=window.__xss=7>]put[/PUT]',
  '[ICON=javascript:alert(8) title="x" onerror="window.__xss=8"] [ICON=https://example.invalid/i.png title=" onerror=alert(8) x="]',
  'https://example.com/"><script>window.__xss=9</script> www.example.com/<img/src=x/onerror=alert(9)>',
  '[b][i][u]unclosed [url=https://ok.example/]nested [b]deep[/url] [/i]',
  '[CALL=javascript:alert(10)]call[/CALL] [CALL]+1 (555) <b>0100</b>[/CALL]',
  '------------------------------------------------------\n<img src=x onerror=alert(11)> [01.01.2025 10:00:00]\n>>quoted <script>alert(11)</script>\n------------------------------------------------------',
  '[IMG]javascript:alert(12)[/IMG] https://example.invalid/x.png"onerror="alert(12).png',
  '[CODE]<script>window.__xss=13</script>\n  [URL=javascript:alert(13)]x[/URL][/CODE] [QUOTE]<img src=x onerror=window.__xss=13>[/QUOTE]',
  '[IMG size=large]javascript:window.__xss=14 [/IMG] [IMG size=small]data:image/svg+xml,<svg onload=alert(14)> [/IMG]',
  '[CONTEXT=chat1/1" onclick="window.__xss=15]ctx[/CONTEXT] [CONTEXT=javascript:alert(15)/1]ctx[/CONTEXT] [CONTEXT=chat1/1]<b onmouseover=alert(15)>ctx</b>[/CONTEXT]',
  '[DISK=1" onclick="alert(16)] [DISK=javascript:alert(16)] [DISK=999] [TIMESTAMP=1" onmouseover="alert(16)] [TIMESTAMP=1645844720 format=<script>]',
];
