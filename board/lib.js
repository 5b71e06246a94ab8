// What every view uses: JSON from the server, its live events, building DOM (text is always text, never HTML), formats.

/** The view's data from /api/<path>; an error carries the server's diagnostic. */
export async function api(path) {
  const response = await fetch(`/api/${path}`, { cache: 'no-store' });
  const text = await response.text();
  if (!response.ok) throw new Error(text.trim());
  return JSON.parse(text);
}

/** Listens to /events/<path>: handlers by event name; returns the function that stops listening. */
export function listen(path, handlers) {
  const source = new EventSource(`/events/${path}`);
  const connection = document.getElementById('connection');
  source.onopen = () => {
    connection.className = 'connection live';
    connection.textContent = 'live';
  };
  source.onerror = () => {
    connection.className = 'connection lost';
    connection.textContent = 'reconnecting…';
  };
  for (const [event, handler] of Object.entries(handlers)) source.addEventListener(event, (e) => handler(JSON.parse(e.data)));
  source.addEventListener('gone', () => source.close());
  return () => {
    source.close();
    connection.className = 'connection';
    connection.textContent = '';
  };
}

/** el('a', { href: '#/' }, 'text', child…): an element; strings become text nodes. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== undefined && child !== null && child !== false) node.append(child instanceof Node ? child : String(child));
  return node;
}

/** A run's or sweep's id in a URL: each segment encoded. */
export function idPath(id) {
  return id.split('/').map(encodeURIComponent).join('/');
}

export function number(value, digits = 4) {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '';
}

export function duration(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function ago(ms) {
  const seconds = (Date.now() - ms) / 1000;
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return new Date(ms).toLocaleString();
}

export function statusBadge(status, note) {
  return el('span', { class: `status status-${status}`, title: note }, status);
}

export function params(values) {
  return Object.entries(values ?? {}).map(([k, v]) => `${k}=${v}`).join(' ');
}

/** "cost=0.0123 acc=0.9600" */
export function metrics(values) {
  return Object.entries(values ?? {}).map(([k, v]) => `${k}=${number(v)}`).join(' ');
}

/**
 * A table whose every column sorts on a click: columns are { title, value(row) → sortable, cell(row) → node|string, number? }.
 * Returns { node, update(rows) }.
 */
export function sortableTable(columns, { initial = -1, descending = false, rowAttributes = () => ({}) } = {}) {
  let rows = [];
  let sortColumn = initial;
  let sortDescending = descending;
  const head = el('tr');
  const body = el('tbody');
  const table = el('table', {}, el('thead', {}, head), body);
  const draw = () => {
    head.replaceChildren(
      ...columns.map((column, i) =>
        el('th', {
          class: ['sortable', i === sortColumn ? (sortDescending ? 'sorted-desc' : 'sorted-asc') : ''].join(' ').trim(),
          onclick: () => {
            sortDescending = i === sortColumn ? !sortDescending : false;
            sortColumn = i;
            draw();
          },
        }, column.title),
      ),
    );
    const sorted = [...rows];
    if (sortColumn >= 0 && columns[sortColumn].value) {
      const value = columns[sortColumn].value;
      sorted.sort((a, b) => {
        const [x, y] = [value(a), value(b)];
        if (x === y) return 0;
        if (x === undefined || x === null || x === '') return 1;
        if (y === undefined || y === null || y === '') return -1;
        const order = x < y ? -1 : 1;
        return sortDescending ? -order : order;
      });
    }
    body.replaceChildren(...sorted.map((row) => el('tr', rowAttributes(row), ...columns.map((c) => el('td', { class: c.number ? 'number' : undefined }, c.cell(row))))));
  };
  draw();
  return {
    node: table,
    update(next) {
      rows = next;
      draw();
    },
  };
}
