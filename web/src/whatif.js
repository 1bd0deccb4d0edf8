// The what-if page of `multivector serve`: sliders and switches in, votes and explanations out.
// Every change is sent to the server as --set-style paths and --drop-event ids; the server checks
// them like a scenario file, runs the model and answers with every decision.
(function() {
'use strict';
const VOTE_COLORS = {
  Y: '#2f6fb0',
  N: '#c0392b',
  A: '#e0a526',
  NV: '#9aa5b1'
};
const OTHER_COLORS = ['#2f855a', '#9aa5b1', '#c0392b', '#6b46c1', '#b7791f'];
const state = {
  controls: null,
  set: {},
  drop: new Set(),
  selected: null,
  decisions: [],
  rows: {}
};
// For the browser tests and for anyone curious: how long the last update took.
window.multivector = {
  updates: 0,
  lastUpdate: null,
  ready: false
};

const $ = (id) => document.getElementById(id);
const percent = (p) => Math.round(100 * p) + '%';
const same = (a, b) => Math.abs(a - b) < 1e-9;
const optionLabel = (o) => o.replace(/_/g, ' ');
function optionColor(option, index) {
  return VOTE_COLORS[option] || OTHER_COLORS[index % OTHER_COLORS.length];
}

function showErrors(errors) {
  const holder = $('errors');
  holder.replaceChildren();
  for (const error of errors || []) holder.append(el('p', {class: 'error'}, error.message));
  for (const row of document.querySelectorAll('.slider.invalid')) row.classList.remove('invalid');
  for (const error of errors || []) {
    const row = state.rows[error.path];
    if (row) row.element.classList.add('invalid');
  }
}

function requestBody() {
  return {set: state.set, drop: [...state.drop]};
}

function commandLine() {
  const parts =
      ['multivector run' +
       (state.controls.scenario.source.startsWith('builtin:') ?
            '' :
            ' ' + state.controls.scenario.source)];
  // What serve was started with (--params, --set, --drop-event), which the page's changes follow.
  for (const argument of state.controls.scenario.options || []) parts.push('  ' + argument);
  for (const [path, value] of Object.entries(state.set))
    parts.push('  --set ' + path + '=' + value);
  for (const id of state.drop) parts.push('  --drop-event ' + id);
  // Not out/ID/, where the base run a class compares against lives (the download's id is the same).
  parts.push('  --out out/' + state.controls.scenario.id + '_whatif');
  $('command').textContent = parts.join(' \\\n');
}

// Puts a control back to the value the page last sent successfully (or the scenario's value).
function syncRow(path) {
  const row = state.rows[path];
  if (!row) return;
  const value = path in state.set ? state.set[path] : row.input.value;
  row.range.value = value;
  row.number.value = value;
  row.element.classList.toggle('changed', path in state.set);
}

// One request at a time: a change made while one is on its way waits for it and is then sent
// with everything changed so far, so a refused value is never sent again behind its refusal.
let inFlight = false;
let queued = null;
async function update(started, touched) {
  if (inFlight) {
    queued = {started, touched: [...(queued ? queued.touched : []), ...(touched || [])]};
    return;
  }
  inFlight = true;
  try {
    await send(started, touched);
  } finally {
    inFlight = false;
    if (queued) {
      const next = queued;
      queued = null;
      update(next.started, next.touched);
    }
  }
}

async function send(started, touched) {
  $('status').textContent = 'Updating…';
  commandLine();
  let response, payload;
  try {
    response = await fetch('/api/simulate', {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify(requestBody()),
    });
    payload = await response.json();
  } catch (error) {
    showErrors([{path: '', message: 'The server did not answer: ' + error}]);
    $('status').textContent = 'Not updated';
    return;
  }
  const answered = performance.now();
  if (!response.ok) {
    showErrors(payload.errors);
    // Forget the refused values, so the next change is not refused for them too.
    for (const error of payload.errors || []) {
      if (error.path in state.set) delete state.set[error.path];
    }
    for (const path of touched || []) syncRow(path);
    commandLine();
    $('status').textContent = 'Not updated: see the message above';
    window.multivector.refusals = (window.multivector.refusals || 0) + 1;
    return;
  }
  showErrors([]);
  render(payload.decisions);
  const rendered = performance.now();
  await new Promise(
      (resolve) => requestAnimationFrame(() => {
        const ms = performance.now() - started;
        window.multivector.updates += 1;
        window.multivector.lastUpdate = {
          ms,
          started,
          server_ms: payload.server_ms,
          fetch_ms: answered - started,
          render_ms: rendered - answered
        };
        $('status').textContent =
            `Updated in ${ms.toFixed(0)} ms (model and checks ${payload.server_ms.toFixed(1)} ms)`;
        resolve();
      }));
}

function commit(row, value, started) {
  const path = row.input.path;
  if (typeof value === 'number' && Number.isFinite(value) && same(value, row.input.value))
    delete state.set[path];
  else
    state.set[path] = value;
  row.element.classList.toggle('changed', path in state.set);
  update(started, [path]);
}

function sliderRow(input, idle) {
  const range = el('input', {
    type: 'range',
    min: input.slider_low,
    max: input.slider_high,
    step: input.step,
    'data-path': input.path,
    'aria-label': input.path,
  });
  range.value = input.value;
  const number = el('input', {
    type: 'text',
    inputmode: 'decimal',
    class: 'number',
    'data-path': input.path,
    'aria-label': input.path + ' value'
  });
  number.value = input.value;
  const element =
      el('div', {
        class: 'slider' + (idle ? ' idle' : ''),
        title: `${input.path} (valid from ${input.low} to ${input.high})`
      },
         el('label', {}, input.label), range, number);
  const row = {input, range, number, element};
  state.rows[input.path] = row;
  range.addEventListener('input', () => {
    number.value = range.value;
  });
  range.addEventListener('change', () => commit(row, Number(range.value), performance.now()));
  number.addEventListener('change', () => {
    const started = performance.now();
    const text = number.value.trim();
    // An empty or unreadable box is sent as text, so the server's message says what is wrong.
    const value = text === '' || Number.isNaN(Number(text)) ? (text || 'empty') : Number(text);
    if (typeof value === 'number') range.value = value;
    commit(row, value, started);
  });
  return element;
}

function buildControls(controls) {
  const countries = $('country-controls');
  controls.countries.forEach((country, index) => {
    const details =
        el('details', {'data-country': country.id}, el('summary', {}, country.name || country.id));
    if (index === 0) details.open = true;
    for (const group of country.groups) {
      details.append(el('h4', {}, group.title));
      for (const input of group.sliders) details.append(sliderRow(input, input.weight === 0));
    }
    countries.append(details);
  });
  const events = $('event-controls');
  const holder =
      el('details', {open: ''},
         el('summary', {}, `${controls.events.length} events (untick to remove one)`));
  for (const event of controls.events) {
    const box =
        el('input', {type: 'checkbox', 'data-event': event.id, 'aria-label': 'keep ' + event.id});
    box.checked = true;
    const container = el(
        'div', {class: 'event', 'data-event': event.id},
        el('label', {class: 'title', title: event.context || ''}, box, ' ', el('b', {}, event.date),
           ` ${event.event} by ${event.source} → ${event.recipients.join(', ')}`,
           el('div', {class: 'muted small'}, event.id)));
    box.addEventListener('change', () => {
      const started = performance.now();
      if (box.checked)
        state.drop.delete(event.id);
      else
        state.drop.add(event.id);
      container.classList.toggle('off', !box.checked);
      update(started, []);
    });
    for (const input of event.sliders) container.append(sliderRow(input, false));
    holder.append(container);
  }
  events.append(holder);
}

function render(decisions) {
  state.decisions = decisions;
  const controls = state.controls;
  const base = {};
  for (const d of controls.base) base[d.item + '|' + d.country] = d;
  const current = {};
  for (const d of decisions) current[d.item + '|' + d.country] = d;
  const initials = (o) => optionLabel(o).split(' ').map((w) => w[0]).join('').toUpperCase();
  const table = $('votes');
  table.replaceChildren();
  table.append(
      el('tr', {}, el('th', {}),
         ...controls.items.map(
             (item) =>
                 el('th', {title: item.name},
                    item.resolution ? item.resolution.replace(/^A\/RES\//, '') : 'Statement',
                    el('div', {class: 'muted small'}, item.date)))));
  for (const country of controls.country_list) {
    const row = el('tr', {}, el('th', {class: 'country'}, country.name || country.id));
    for (const item of controls.items) {
      const key = item.id + '|' + country.id;
      const d = current[key];
      if (!d) {
        row.append(el('td', {}));
        continue;
      }
      const was = base[key];
      const chosenIndex = d.options.indexOf(d.chosen);
      const bar = el('div', {class: 'pbar'});
      d.options.forEach((o, i) => bar.append(el('span', {
        style: `width:${(100 * d.probability[i]).toFixed(1)}%;background:${optionColor(o, i)}`,
        title: `${optionLabel(o)} ${percent(d.probability[i])}`
      })));
      const recorded = controls.recorded[item.id] && controls.recorded[item.id][country.id];
      const changed = was && was.chosen !== d.chosen;
      const label = item.statement ?
          el('span', {class: 'badge other', title: optionLabel(d.chosen)}, initials(d.chosen)) :
          el('span', {class: 'badge ' + d.chosen}, d.chosen);
      const cell =
          el('td', {
            class: 'cell' + (changed ? ' changed' : ''),
            'data-item': item.id,
            'data-country': country.id,
            'data-vote': d.chosen,
            'data-p': d.probability[chosenIndex],
            title: optionLabel(d.chosen),
          },
             label, el('div', {class: 'p'}, percent(d.probability[chosenIndex])), bar,
             changed ? el('div', {class: 'was'}, 'was ' + optionLabel(was.chosen)) : null,
             recorded ? el('div', {class: 'rec'}, 'recorded ' + recorded) : null);
      if (state.selected && state.selected.item === item.id &&
          state.selected.country === country.id)
        cell.classList.add('selected');
      cell.addEventListener('click', () => {
        state.selected = {item: item.id, country: country.id};
        render(state.decisions);
      });
      row.append(cell);
    }
    table.append(row);
  }
  // Statement options are shown by their initials; say which is which.
  const statementKey =
      controls.items.filter((item) => item.statement)
          .map((item) => item.options.map((o) => `${initials(o)} = ${optionLabel(o)}`).join(', '));
  $('statement-key').textContent =
      statementKey.length ? 'Statement options: ' + statementKey.join('; ') + '.' : '';
  // Explanations of the selected country, the selected decision first.
  const selected = state.selected || {country: controls.country_list[0].id, item: null};
  const country = controls.country_list.find((c) => c.id === selected.country);
  $('explanations-title').textContent =
      'Why ' + (country ? country.name || country.id : selected.country) + ' decided as it did';
  const list = $('explanations');
  list.replaceChildren();
  const mine = decisions.filter((d) => d.country === selected.country);
  mine.sort((a, b) => (a.item === selected.item ? -1 : b.item === selected.item ? 1 : 0));
  for (const d of mine) {
    const item = controls.items.find((i) => i.id === d.item);
    const was = base[d.item + '|' + d.country];
    list.append(
        el('p',
           {class: 'explanation' + (d.item === selected.item ? ' card' : ''), 'data-item': d.item},
           el('b', {},
              (item.resolution ? item.resolution.replace(/^A\/RES\//, '') : 'Statement') + ': '),
           d.explanation,
           was && was.chosen !== d.chosen ?
               el('span', {class: 'was'}, ` (Unchanged scenario: ${optionLabel(was.chosen)}.)`) :
               null));
  }
}

function reset() {
  const started = performance.now();
  state.set = {};
  state.drop.clear();
  for (const path of Object.keys(state.rows)) syncRow(path);
  for (const box of document.querySelectorAll('input[type=checkbox][data-event]'))
    box.checked = true;
  for (const container of document.querySelectorAll('.event.off'))
    container.classList.remove('off');
  showErrors([]);
  update(started, []);
}

async function download() {
  const response = await fetch('/api/scenario.yaml', {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify(requestBody()),
  });
  if (!response.ok) {
    const payload = await response.json();
    showErrors(payload.errors);
    return;
  }
  const text = await response.text();
  const disposition = response.headers.get('Content-Disposition') || '';
  const match = disposition.match(/filename="([^"]+)"/);
  const link = el('a', {
    href: URL.createObjectURL(new Blob([text], {type: 'application/yaml'})),
    download: match ? match[1] : 'whatif.yaml'
  });
  document.body.append(link);
  link.click();
  link.remove();
  $('status').textContent = 'Downloaded the changed scenario: run it with  multivector run ' +
      (match ? match[1] : 'whatif.yaml');
}

async function start() {
  try {
    const response = await fetch('/api/controls');
    state.controls = await response.json();
  } catch (error) {
    showErrors([{path: '', message: 'Cannot load the scenario from the server: ' + error}]);
    return;
  }
  const controls = state.controls;
  $('title').textContent = 'What if? ' + controls.scenario.name;
  $('description').textContent = controls.scenario.description;
  buildControls(controls);
  render(controls.base);
  commandLine();
  $('reset').addEventListener('click', reset);
  $('download').addEventListener('click', download);
  $('status').textContent = 'Ready: the unchanged scenario';
  window.multivector.ready = true;
}
start();
})();
