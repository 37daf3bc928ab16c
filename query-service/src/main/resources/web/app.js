// The Sluice search page: plain DOM code, no build step. The token is kept in sessionStorage so it
// survives reloads of this tab but not the browser session. Every value from the API is inserted as
// text (never as HTML), so indexed content cannot inject markup into the page.
'use strict';

const TOKEN_KEY = 'sluice.token';
const $ = (id) => document.getElementById(id);

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

function showTokenState() {
  $('token-state').textContent = token() ? 'token set for this session' : 'no token yet';
}

function message(text, isError) {
  const el = $('message');
  el.textContent = text;
  el.className = isError ? 'error' : '';
}

async function api(method, path, body) {
  if (!token()) {
    throw new Error('enter a token first');
  }
  const response = await fetch(path, {
    method,
    headers: { 'Authorization': 'Bearer ' + token(), 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = json.error || {};
    const retry = response.headers.get('Retry-After');
    throw new Error(response.status + ' ' + (error.code || '') + ': ' + (error.message || response.statusText)
      + (retry ? ' (retry in ' + retry + ' s)' : ''));
  }
  return json;
}

// Common words are not worth marking: every passage has them.
const STOP_WORDS = new Set(['the', 'and', 'for', 'with', 'what', 'who', 'how', 'are', 'was', 'were', 'that', 'this',
  'from', 'into', 'its', 'not', 'but', 'has', 'have', 'had', 'can', 'does', 'did', 'which', 'when', 'where', 'why']);

// Query words worth marking: lower-cased, three characters or more, not common, regex-escaped.
function terms(query) {
  const words = (query.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) || []).filter((w) => !STOP_WORDS.has(w));
  return [...new Set(words)].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

function highlighted(text, words) {
  const passage = document.createElement('p');
  passage.className = 'passage';
  if (words.length === 0) {
    passage.textContent = text;
    return passage;
  }
  const pattern = new RegExp('(' + words.join('|') + ')', 'giu');
  text.split(pattern).forEach((part, i) => {
    if (i % 2 === 1) {
      const mark = document.createElement('mark');
      mark.textContent = part;
      passage.appendChild(mark);
    } else if (part) {
      passage.appendChild(document.createTextNode(part));
    }
  });
  return passage;
}

function renderResults(query, response) {
  const list = $('results');
  list.replaceChildren();
  const words = terms(query);
  for (const hit of response.results) {
    const item = document.createElement('li');
    item.className = 'result';
    item.dataset.docId = hit.docId;
    const cite = document.createElement('div');
    cite.className = 'cite';
    const title = document.createElement('b');
    title.textContent = hit.title || hit.docId;
    cite.appendChild(title);
    const where = [hit.section, hit.source].filter(Boolean).join(' · ');
    cite.appendChild(document.createTextNode(where ? ' — ' + where : ''));
    const score = document.createElement('span');
    score.className = 'score';
    score.textContent = 'v' + hit.docVersion + ' · score ' + Number(hit.score).toFixed(4);
    cite.appendChild(score);
    item.append(cite, highlighted(hit.text, words));
    list.appendChild(item);
  }
  const n = response.results.length;
  message(n === 0 ? 'No results.' : n + ' result' + (n === 1 ? '' : 's') + ' in ' + response.tookMs + ' ms (' + response.modelId + ')');
}

async function search(event) {
  event.preventDefault();
  const query = $('query').value.trim();
  const mode = document.querySelector('input[name="mode"]:checked').value;
  const topK = parseInt($('top-k').value, 10) || 10;
  message('Searching…');
  try {
    renderResults(query, await api('POST', '/v1/search', { query, topK, mode }));
  } catch (e) {
    $('results').replaceChildren();
    message(e.message, true);
  }
}

async function lookup(event) {
  event.preventDefault();
  const docId = $('doc-id').value.trim();
  const list = $('doc-status');
  list.replaceChildren();
  try {
    const status = await api('GET', '/v1/documents/' + encodeURIComponent(docId));
    const rows = [['state', status.state], ['version', status.version], ['chunks', status.chunks],
      ['event time', status.eventTime], ['indexed at', status.indexedAt],
      ['event → searchable', status.eventToSearchableSeconds === undefined ? undefined : status.eventToSearchableSeconds + ' s'],
      ['failed stage', status.stage], ['reason', status.reason && (status.reason.code + ': ' + status.reason.message)]];
    for (const [name, value] of rows) {
      if (value === undefined || value === null) continue;
      const dt = document.createElement('dt');
      dt.textContent = name;
      const dd = document.createElement('dd');
      dd.textContent = String(value);
      dd.dataset.field = name;
      list.append(dt, dd);
    }
  } catch (e) {
    const dd = document.createElement('dd');
    dd.className = 'error';
    dd.textContent = e.message;
    list.append(dd);
  }
}

document.addEventListener('DOMContentLoaded', () => {
  showTokenState();
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
    $('token').value = '';
    showTokenState();
  });
  $('search-form').addEventListener('submit', search);
  $('status-form').addEventListener('submit', lookup);
});
