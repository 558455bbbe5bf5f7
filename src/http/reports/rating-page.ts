import type { RatingPage } from '../../app/rating-links';
import { RATING_CHOICES, RATING_LABELS } from '../../domain/rating';
import { esc } from './html';

const STYLE = `
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;color:#222;margin:0;background:#fafafa}
main{max-width:32rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.3rem;margin:0 0 .4rem}.meta{color:#666;font-size:.9rem}
.result{font-size:1.2rem;margin:1rem 0}
button{font-size:1.1rem;padding:.7rem 1.6rem;border:0;border-radius:6px;background:#b22;color:#fff}
.choices button{margin:.3rem .5rem .3rem 0;padding:.5rem 1rem;border:1px solid #b22;background:#fff;color:#b22}
.choices button.current{background:#b22;color:#fff}
`;

const shell = (title: string, body: string): string => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${esc(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>
`;

const NOTE = '<p class="meta">评议匿名：只统计人数，不记录谁选了什么。</p>';

/**
 * A member's 述职评议 page (src/app/rating-links.ts). `action` is the URL its buttons post to: the link itself, whose
 * query the server checks again on the POST. The choice and the seal go in the form's body, never in a URL.
 */
export function renderRatingPage(page: RatingPage, action: string): string {
  const heading = page.rating ? `述职评议：#${page.rating.number} ${page.rating.title}` : '述职评议';
  const h1 = `<h1>${esc(heading)}</h1>`;
  switch (page.kind) {
    case 'refused':
      return shell(heading, `${h1}<p class="result">${esc(page.text)}</p>${NOTE}`);
    case 'confirm': {
      const label = RATING_LABELS[page.choice];
      const form = `<form method="post" action="${esc(action)}"><input type="hidden" name="c" value="${page.choice}"><button type="submit">确认评议：${esc(label)}</button></form>`;
      return shell(heading, `${h1}<p class="result">你的评议：「${esc(label)}」</p>${form}${NOTE}`);
    }
    case 'done': {
      const buttons = RATING_CHOICES.map((c) => `<button type="submit" name="c" value="${c}"${c === page.choice ? ' class="current"' : ''}>${esc(RATING_LABELS[c])}</button>`).join('');
      const form = `<form method="post" action="${esc(action)}"><input type="hidden" name="s" value="${esc(page.seal)}"><p class="choices">${buttons}</p></form>`;
      return shell(heading, `${h1}<p class="result">${esc(page.text)}</p><p>截止前要修改，请在本页点选（请保留本页，勿转发）：</p>${form}${NOTE}`);
    }
  }
}
