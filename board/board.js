// The page: a router over the views of views/index.js (one file per view, as on the server).
import { VIEWS } from './views/index.js';
import { el } from './lib.js';

const main = document.getElementById('main');
const crumbs = document.getElementById('crumbs');
let dispose = () => {};

async function route() {
  dispose();
  dispose = () => {};
  const hash = location.hash.replace(/^#/, '') || '/runs';
  const [path, search = ''] = hash.split('?');
  for (const view of VIEWS) {
    const match = view.route.exec(path);
    if (!match) continue;
    main.replaceChildren();
    crumbs.replaceChildren(...(view.name === 'runs' ? [] : [el('a', { href: '#/runs' }, 'runs'), ` / ${view.name}`]));
    try {
      dispose = (await view.render(main, { match, query: new URLSearchParams(search) })) ?? (() => {});
    } catch (error) {
      main.replaceChildren(el('p', { class: 'error' }, error.message));
    }
    return;
  }
  main.replaceChildren(el('p', { class: 'error' }, `no view at ${hash}`));
}

window.addEventListener('hashchange', route);
route();
