// Draws the Multivector report from the JSON that `multivector report` inlined into the page.
// Everything here runs offline: the chart libraries are inlined too.
(function() {
'use strict';
const data = JSON.parse(document.getElementById('report-data').textContent);
const VOTE_NAMES = {
  Y: 'Yes',
  N: 'No',
  A: 'Abstain',
  NV: 'Not voting'
};
const VOTE_COLORS = {
  Y: '#2f6fb0',
  N: '#c0392b',
  A: '#e0a526',
  NV: '#9aa5b1'
};
const POWER_COLORS = {
  RUS: '#c0392b',
  WEST: '#2f6fb0',
  USA: '#1d4e89',
  EU: '#4c8bd6',
  CHN: '#d4a017'
};
const EVENT_COLORS = {
  THREATEN: '#c0392b',
  SANCTION: '#8d2b0b',
  AID: '#2f855a',
  PROTECT: '#6b46c1',
  DISAPPROVE: '#dd6b20'
};
const EMBED = {
  actions: false,
  renderer: 'svg'
};
const pending = [];

function badge(option) {
  return el(
      'span', {
        class: 'badge ' + (VOTE_NAMES[option] ? option : 'other'),
        title: VOTE_NAMES[option] || option
      },
      option);
}
function percent(p) {
  return Math.round(100 * p) + '%';
}
function draw(container, spec) {
  const promise = vegaEmbed(container, spec, EMBED).catch((error) => {
    container.append(el('p', {class: 'error'}, 'This chart could not be drawn: ' + error));
    console.error(error);
  });
  pending.push(promise);
}
function powerName(id) {
  const power = (data.powers || []).find((p) => p.id === id);
  return power && power.name ? power.name : id;
}
function colorScale(ids, palette) {
  const fallback = ['#486581', '#2f855a', '#6b46c1', '#b7791f', '#0f609b', '#9c4221'];
  return {
    domain: ids,
    range: ids.map((id, index) => palette[id] || fallback[index % fallback.length])
  };
}
const itemById = Object.fromEntries(data.items.map((item) => [item.id, item]));
const shortItem = (id) => {
  const item = itemById[id];
  return item && item.resolution ? item.resolution.replace(/^A\/RES\//, '') : id;
};

// ---- Header ----
const meta = data.meta;
document.getElementById('title').textContent =
    meta.scenario_name || meta.scenario_id || 'Multivector report';
document.getElementById('description').textContent = meta.description || '';
const changes = [];
if (meta.params_file) changes.push('--params ' + meta.params_file);
for (const set of meta.overrides || []) changes.push('--set ' + set);
for (const drop of meta.dropped_events || []) changes.push('--drop-event ' + drop);
const runinfo = document.getElementById('runinfo');
runinfo.append(
    `Scenario ${meta.scenario_id}, ${meta.start} to ${meta.end}; ` +
    `seed ${meta.seed}, ${meta.decisions} decisions; ` +
    `run by multivector ${meta.run_version} at ${meta.run_created_at}. `);
if (changes.length) {
  runinfo.append(el('b', {}, 'What-if run: '), el('code', {}, changes.join(' ')));
} else {
  runinfo.append('The scenario as written (no parameters file, no overrides, no events removed).');
}
const files = (meta.scenario_files || []).map((file) => `${file.path} (sha256 ${file.sha256})`);
if (files.length) runinfo.append(` Scenario files: ${files.join(', ')}.`);
const warnings = document.getElementById('warnings');
for (const warning of data.warnings || []) warnings.append(el('p', {class: 'warning'}, warning));

// ---- Vote matrix ----
const matrix = data.vote_matrix.map(
    (cell) => ({
      ...cell,
      item_label: shortItem(cell.item),
      recorded_label: cell.recorded ? (cell.match ? 'recorded ' : '≠ recorded ') + cell.recorded :
                                      'no record',
      status: cell.match === null ? 'no record' : (cell.match ? 'agrees' : 'differs'),
      vote_name: VOTE_NAMES[cell.simulated] || cell.simulated,
    }));
const compared = matrix.filter((cell) => cell.match !== null);
const agreeing = compared.filter((cell) => cell.match).length;
const summary = document.getElementById('vote-summary');
if (compared.length) {
  summary.append(
      el('b', {},
         `The simulated vote equals the recorded one in ${agreeing} of ${compared.length} ` +
             `cases (${percent(agreeing / compared.length)}).`));
  const differing = compared.filter((cell) => !cell.match);
  if (differing.length) {
    summary.append(
        ' Differences: ',
        differing
            .map(
                (c) => `${c.country_name} on ${c.item_label} ` +
                    `(simulated ${c.simulated}, recorded ${c.recorded})`)
            .join('; '),
        '.');
  }
} else {
  summary.append(
      'No recorded votes were available for this run, so only the simulated votes are shown.');
}
const itemOrder = data.items.filter((item) => !item.statement).map((item) => shortItem(item.id));
const countryOrder = data.countries.map((c) => c.name || c.id);
const options = ['Y', 'N', 'A', 'NV'];
draw(document.getElementById('vote-matrix'), {
  data: {values: matrix},
  width: {step: 92},
  height: {step: 48},
  encoding: {
    x: {
      field: 'item_label',
      type: 'nominal',
      sort: itemOrder,
      title: 'Resolution',
      axis: {orient: 'top', labelAngle: 0, labelFontSize: 13}
    },
    y: {
      field: 'country_name',
      type: 'nominal',
      sort: countryOrder,
      title: null,
      axis: {labelFontSize: 13}
    },
    tooltip: [
      {field: 'country_name', title: 'Country'},
      {field: 'resolution', title: 'Resolution'},
      {field: 'date', title: 'Date'},
      {field: 'vote_name', title: 'Simulated'},
      {field: 'p_simulated', title: 'Probability', format: '.0%'},
      {field: 'recorded', title: 'Recorded'},
      {field: 'status', title: 'Status'},
    ],
  },
  layer: [
    {
      mark: {type: 'rect', cornerRadius: 5},
      encoding: {
        color: {
          field: 'simulated',
          type: 'nominal',
          title: 'Simulated vote',
          scale: {domain: options, range: options.map((o) => VOTE_COLORS[o])},
          legend: {
            orient: 'bottom',
            labelExpr:
                '{\'Y\':\'Yes\',\'N\':\'No\',\'A\':\'Abstain\',\'NV\':\'Not voting\'}[datum.label]'
          }
        },
        stroke: {condition: {test: 'datum.match === false', value: '#7b1010'}, value: '#ffffff'},
        strokeWidth: {condition: {test: 'datum.match === false', value: 4}, value: 1},
      },
    },
    {
      mark: {type: 'text', fontSize: 17, fontWeight: 'bold', dy: -7},
      encoding: {
        text: {field: 'simulated'},
        color: {condition: {test: 'datum.simulated === \'A\'', value: '#1f2933'}, value: '#ffffff'}
      }
    },
    {
      mark: {type: 'text', fontSize: 11, dy: 11},
      encoding: {
        text: {field: 'recorded_label'},
        color: {condition: {test: 'datum.simulated === \'A\'', value: '#1f2933'}, value: '#ffffff'}
      }
    },
  ],
  config: {view: {stroke: null}, axis: {domain: false, ticks: false}},
});

// Statements: a small table, since they are not resolutions.
const statements = data.decisions.filter((d) => d.statement);
if (statements.length) {
  const byItem = {};
  for (const d of statements) (byItem[d.item] = byItem[d.item] || []).push(d);
  const holder = document.getElementById('statements');
  for (const [item, rows] of Object.entries(byItem)) {
    const table =
        el('table', {class: 'data'},
           el('tr', {}, el('th', {}, 'Country'), el('th', {}, 'Chosen'),
              el('th', {class: 'num'}, 'Probability'), el('th', {}, 'Other options')));
    for (const d of rows) {
      const chosenIndex = d.options.indexOf(d.chosen);
      const others =
          d.options
              .map(
                  (o, i) =>
                      (i === chosenIndex ? null :
                                           `${o.replace(/_/g, ' ')} ${percent(d.probability[i])}`))
              .filter(Boolean)
              .join(', ');
      table.append(
          el('tr', {}, el('td', {}, d.country_name),
             el('td', {}, el('b', {}, d.chosen.replace(/_/g, ' '))),
             el('td', {class: 'num'}, percent(d.probability[chosenIndex])),
             el('td', {class: 'muted'}, others)));
    }
    holder.append(
        el('div', {class: 'card'},
           el('h3', {},
              'Statement: ' + ((itemById[item] && itemById[item].name) || item) + ' (' +
                  rows[0].date + ')'),
           table));
  }
}

// ---- Accuracy ----
if (data.compare) {
  document.getElementById('accuracy').hidden = false;
  document.getElementById('toc-accuracy').hidden = false;
  const overall = data.compare.overall;
  const methods = Object.keys(overall);
  const metrics = [
    ['rows', 'Rows', 0], ['accuracy', 'Accuracy', 3], ['balanced_accuracy', 'Balanced accuracy', 3],
    ['kappa', 'Cohen\'s kappa', 3], ['log_loss', 'Log-loss', 3], ['brier', 'Brier score', 3]
  ];
  const names = {
    model: 'Multivector model',
    always_yes: 'Always Yes',
    persistence: 'Persistence (previous similar vote)',
    copy_china: 'Copy China\'s vote'
  };
  const table =
      el('table', {class: 'data'},
         el('tr', {}, el('th', {}, 'Method'),
            ...metrics.map(([, title]) => el('th', {class: 'num'}, title))));
  const value = (m, key, digits) => {
    const v = overall[m] && overall[m][key];
    return typeof v === 'number' ? v.toFixed(digits) : '–';
  };
  for (const m of methods) {
    table.append(
        el('tr', {class: m === 'model' ? 'best' : ''}, el('td', {}, names[m] || m),
           ...metrics.map(([key, , digits]) => el('td', {class: 'num'}, value(m, key, digits)))));
  }
  document.getElementById('accuracy-table').append(table);
  // Resampled intervals (compare.json overall_intervals): how much the figures hang on which
  // resolutions happened to be voted on.
  const intervals = data.compare.overall_intervals;
  const hasInterval = Boolean(intervals && Array.isArray(intervals.accuracy));
  if (hasInterval) {
    const range = (bounds, signed) =>
        bounds.map((v) => (signed && v >= 0 ? '+' : '') + v.toFixed(3)).join(' to ');
    const baselines = [
      ['gain_over_always_yes', 'always Yes'],
      ['gain_over_persistence', 'persistence'],
      ['gain_over_copy_china', 'copy China'],
    ];
    const gains = baselines.filter(([key]) => Array.isArray(intervals[key]))
                      .map(([key, name]) => `${name} ${range(intervals[key], true)}`)
                      .join(', ');
    const resampling = `${intervals.resolutions} resolutions ${intervals.resamples} times`;
    const accuracyRange = range(intervals.accuracy, false);
    const level = Math.round(100 * intervals.level);
    document.getElementById('accuracy-table')
        .append(
            el('p', {class: 'small', id: 'accuracy-intervals'},
               `Another set of texts could move these figures: resampling the ${resampling}, ` +
                   `the model's accuracy ranges from ${accuracyRange} (${level}% interval), ` +
                   `and its accuracy gain over ${gains}.`));
  }
  const bars = [];
  for (const m of methods) {
    for (const key of ['accuracy', 'balanced_accuracy', 'kappa']) {
      if (!overall[m] || typeof overall[m][key] !== 'number') continue;
      const bar = {method: names[m] || m, metric: key.replace('_', ' '), value: overall[m][key]};
      // Only the model's accuracy has a resampled interval; it is drawn across the end of its bar.
      if (hasInterval && m === 'model' && key === 'accuracy')
        [bar.low, bar.high] = intervals.accuracy;
      bars.push(bar);
    }
  }
  const methodAxis =
      {field: 'method', type: 'nominal', title: null, sort: methods.map((m) => names[m] || m)};
  const layers = [{
    mark: 'bar',
    encoding: {
      y: methodAxis,
      x: {field: 'value', type: 'quantitative', title: null},
      color: {field: 'method', type: 'nominal', legend: null, scale: {scheme: 'tableau10'}},
      tooltip: [{field: 'method'}, {field: 'metric'}, {field: 'value', format: '.3f'}],
    },
  }];
  if (hasInterval) {
    const level = `${Math.round(100 * intervals.level)}% interval`;
    layers.push({
      name: 'accuracy_interval',
      transform: [{filter: 'isValid(datum.low)'}],
      mark: {type: 'rule', color: '#1f2933', strokeWidth: 2},
      encoding: {
        y: methodAxis,
        x: {field: 'low', type: 'quantitative'},
        x2: {field: 'high'},
        tooltip: [
          {field: 'method'}, {field: 'low', title: `${level} from`, format: '.3f'},
          {field: 'high', title: 'to', format: '.3f'}
        ],
      },
    });
  }
  draw(document.getElementById('accuracy-chart'), {
    data: {values: bars},
    facet: {
      row: {
        field: 'metric',
        title: null,
        header: {labelFontSize: 13, labelAngle: 0, labelAlign: 'left'}
      }
    },
    spec: {width: 220, height: {step: 20}, layer: layers},
  });
  if (hasInterval) {
    document.getElementById('accuracy-chart')
        .parentElement.append(
            el('p', {class: 'small muted'},
               'The black line across the model\'s accuracy bar is its interval from resampling ' +
                   'the resolutions.'));
  }
  // One predictor's accuracy on one resolution, with its Wilson interval where compare.json
  // has one (runs compared before it had them show the figure alone).
  const accuracyText = (metrics) => {
    if (!metrics || typeof metrics.accuracy !== 'number') return '–';
    const interval = metrics.accuracy_interval;
    return Array.isArray(interval) && interval.length === 2 ?
        `${metrics.accuracy.toFixed(2)} [${interval[0].toFixed(2)}, ${interval[1].toFixed(2)}]` :
        metrics.accuracy.toFixed(2);
  };
  const perResolution = data.compare.per_resolution || {};
  const resolutionRows =
      Object.entries(perResolution).filter(([, v]) => v && typeof v === 'object');
  if (resolutionRows.length &&
      resolutionRows.every(([, v]) => v.model && typeof v.model.accuracy === 'number')) {
    const rtable =
        el('table', {class: 'data'},
           el('tr', {}, el('th', {}, 'Resolution'),
              ...methods.map((m) => el('th', {class: 'num'}, (names[m] || m) + ' accuracy'))));
    for (const [resolution, v] of resolutionRows) {
      rtable.append(
          el('tr', {}, el('td', {}, resolution),
             ...methods.map((m) => el('td', {class: 'num'}, accuracyText(v[m])))));
    }
    const card = el('div', {class: 'card'}, el('h3', {}, 'Per resolution'), rtable);
    if (resolutionRows.some(([, v]) => Array.isArray(v.model.accuracy_interval))) {
      card.append(el(
          'p', {class: 'small muted'},
          'In brackets: the 95% Wilson interval over the resolution\'s votes. It takes the votes ' +
              'as independent, so where blocs vote together it is too narrow.'));
    }
    document.getElementById('accuracy-resolutions').append(card);
  }
}

// ---- Countries over time ----
const eventsFired = data.events.filter((e) => e.phase === 'fired');
const votes = data.items.map((item) => ({date: item.date, label: shortItem(item.id)}));
if (data.trajectory) {
  const dates = data.trajectory.dates;
  const holder = document.getElementById('country-charts');
  const eventLegend = el('p', {class: 'legend-inline small'}, el('b', {}, 'Event lines: '));
  for (const [kind, colour] of Object.entries(EVENT_COLORS)) {
    eventLegend.append(
        el('span', {}, el('span', {
             style: 'display:inline-block;width:14px;height:3px;vertical-align:middle;' +
                 `margin-right:4px;background:${colour}`
           }),
           kind.toLowerCase()));
  }
  eventLegend.append(
      el('span', {}, el('span', {
           style: 'display:inline-block;width:14px;border-top:2px dashed #9aa5b1;' +
               'vertical-align:middle;margin-right:4px'
         }),
         'a vote'));
  holder.append(eventLegend);
  for (const country of data.countries) {
    const series = data.trajectory.series[country.id];
    if (!series) continue;
    const leverage = [], credibility = [];
    const orientation = series.orientation.map((value, index) => ({date: dates[index], value}));
    for (const [column, values] of Object.entries(series)) {
      const match = column.match(/^(leverage|credibility)_(.+)$/);
      if (!match) continue;
      const rows = match[1] === 'leverage' ? leverage : credibility;
      values.forEach(
          (value, index) => rows.push({date: dates[index], power: powerName(match[2]), value}));
    }
    const reaching = eventsFired.filter((e) => (e.recipient || []).includes(country.id))
                         .map((e) => ({
                                date: e.date,
                                id: e.id,
                                event: e.event,
                                colour: EVENT_COLORS[e.event] || '#486581',
                                source: powerName(e.source),
                                context: e.context || '',
                                cause: e.cause || ''
                              }));
    const powers = [...new Set(leverage.map((r) => r.power))];
    const powerIds = (data.powers || []).map((p) => p.id);
    const powerColor = colorScale(
        powers,
        Object.fromEntries(
            powerIds.map((id) => [powerName(id), POWER_COLORS[id]]).filter(([, c]) => c)));
    const markers = [
      {
        data: {values: votes},
        mark: {type: 'rule', strokeDash: [3, 3], color: '#9aa5b1'},
        encoding: {
          x: {field: 'date', type: 'temporal'},
          tooltip: [{field: 'label', title: 'Vote'}, {field: 'date', title: 'Date'}]
        }
      },
      {
        data: {values: reaching},
        mark: {type: 'rule', strokeWidth: 1.5, opacity: 0.75},
        encoding: {
          x: {field: 'date', type: 'temporal'},
          color: {field: 'colour', type: 'nominal', scale: null},
          tooltip: [
            {field: 'date', title: 'Date'}, {field: 'event', title: 'Event'},
            {field: 'source', title: 'By'}, {field: 'id', title: 'Id'},
            {field: 'context', title: 'What'}
          ]
        }
      },
    ];
    const panel = (title, values, yTitle, domain, byPower) => ({
      title: {text: title, fontSize: 13},
      width: 320,
      height: 170,
      layer: [
        ...markers,
        {
          data: {values},
          mark: {type: 'line', strokeWidth: 2, interpolate: 'step-after'},
          encoding: {
            x: {
              field: 'date',
              type: 'temporal',
              title: null,
              axis: {format: '%b %y', labelOverlap: true}
            },
            y: {field: 'value', type: 'quantitative', title: yTitle, scale: domain ? {domain} : {}},
            ...(byPower ? {
              color: {
                field: 'power',
                type: 'nominal',
                title: 'Power',
                scale: powerColor,
                legend: {orient: 'top', labelLimit: 300, title: null}
              }
            } :
                          {color: {value: '#102a43'}}),
            tooltip: [
              {field: 'date', type: 'temporal', title: 'Date'},
              ...(byPower ? [{field: 'power', title: 'Power'}] : []),
              {field: 'value', title: yTitle, format: '.3f'}
            ],
          }
        },
      ],
    });
    const spec = {
      hconcat: [
        panel('Leverage of each power', leverage, 'leverage', null, true),
        panel('Credibility of its threats', credibility, 'credibility', [0, 1], true),
        panel('Orientation (−1 Moscow … +1 West)', orientation, 'orientation', [-1, 1], false),
      ],
      spacing: 30,
    };
    const chart = el('div', {class: 'chart'});
    holder.append(
        el('div', {class: 'card', id: 'country-' + country.id},
           el('h3', {}, country.name || country.id), chart));
    draw(chart, spec);
  }
} else {
  document.getElementById('country-charts')
      .append(el('p', {class: 'warning'}, 'This run was written without trajectory.csv.'));
}

// ---- Decisions ----
const termNames = data.terms || {};
const allTerms = Object.keys(termNames);
const termPalette = [
  '#4e79a7', '#bab0ac', '#59a14f', '#76b7b2', '#e15759', '#4c8bd6', '#edc948', '#9c4221', '#f28e2b',
  '#b07aa1', '#ff9da7', '#17becf', '#79706e', '#d37295'
];
const shortTerm = (t) => (termNames[t] ? termNames[t].short : t.replace(/_/g, ' '));
const termDomain = allTerms.map(shortTerm);
const termColor = {
  domain: termDomain,
  range: termDomain.map((_, i) => termPalette[i % termPalette.length])
};
const decisionList = document.getElementById('decision-list');
const termLegend = el('div', {class: 'card legend-inline small'}, el('b', {}, 'Terms: '));
allTerms.forEach((term, index) => {
  termLegend.append(
      el('span', {title: termNames[term].long, style: 'display:inline-block;margin:2px 12px 2px 0'},
         el('span', {
           style: 'display:inline-block;width:12px;height:12px;border-radius:2px;' +
               `vertical-align:-1px;margin-right:4px;background:${termColor.range[index]}`
         }),
         termColor.domain[index]));
});
decisionList.append(termLegend);
const decisionsByItem = {};
for (const d of data.decisions) (decisionsByItem[d.item] = decisionsByItem[d.item] || []).push(d);
const itemIds = data.items.map((i) => i.id).filter((id) => decisionsByItem[id]);
for (const id of Object.keys(decisionsByItem))
  if (!itemIds.includes(id)) itemIds.push(id);
for (const itemId of itemIds) {
  const list = decisionsByItem[itemId];
  const item = itemById[itemId] || {name: itemId, date: list[0].date};
  const heading = (item.resolution ? item.resolution + ': ' : 'Statement: ') + item.name;
  const grid = el('div', {class: 'grid'});
  decisionList.append(
      el('h3', {id: 'item-' + itemId}, heading,
         el('span', {class: 'muted small'}, ' · ' + item.date)),
      grid);
  for (const d of list) {
    const labels = d.options.map(
        (o, i) => `${d.statement ? o.replace(/_/g, ' ') : o} · ` +
            `${percent(d.probability[i])}${o === d.chosen ? ' ◀' : ''}`);
    const rows = [];
    const totals = d.options.map(() => 0);
    for (const [term, values] of Object.entries(d.terms)) {
      values.forEach((value, i) => {
        totals[i] += value;
        if (Math.abs(value) > 1e-6)
          rows.push({
            option: labels[i],
            term: shortTerm(term),
            value,
            help: termNames[term] ? termNames[term].long : term
          });
      });
    }
    const totalRows = labels.map((label, i) => ({option: labels[i], total: totals[i]}));
    const chart = el('div', {class: 'chart'});
    const card =
        el('div', {class: 'card decision', 'data-item': d.item, 'data-country': d.country},
           el('div', {}, el('b', {}, d.country_name), ' ',
              d.statement ? el('b', {}, d.chosen.replace(/_/g, ' ')) : badge(d.chosen),
              el('span', {class: 'muted small'},
                 ' p = ' + percent(d.probability[d.options.indexOf(d.chosen)]))),
           chart, el('p', {class: 'explanation'}, d.explanation));
    grid.append(card);
    draw(chart, {
      width: 290,
      height: {step: 22},
      layer: [
        {
          data: {values: rows},
          mark: {type: 'bar'},
          encoding: {
            y: {
              field: 'option',
              type: 'nominal',
              sort: labels,
              title: null,
              axis: {labelFontSize: 12, labelLimit: 200}
            },
            x: {field: 'value', type: 'quantitative', stack: 'zero', title: 'utility'},
            color: {field: 'term', type: 'nominal', title: 'Term', scale: termColor, legend: null},
            tooltip: [
              {field: 'option', title: 'Option'}, {field: 'term', title: 'Term'},
              {field: 'help', title: 'Meaning'}, {field: 'value', format: '+.3f', title: 'Utility'}
            ],
          }
        },
        {
          data: {values: totalRows},
          mark: {type: 'tick', color: '#000', thickness: 3, size: 18},
          encoding: {
            y: {field: 'option', type: 'nominal', sort: labels},
            x: {field: 'total', type: 'quantitative'},
            tooltip: [
              {field: 'option', title: 'Option'},
              {field: 'total', title: 'Total utility', format: '+.3f'}
            ]
          }
        },
      ],
    });
  }
}

// ---- Events ----
const table = document.getElementById('event-table');
table.append(
    el('tr', {},
       ...['Date', 'Phase', 'Event', 'By', 'To', 'Channel', 'Size', 'Cause', 'What happened'].map(
           (t) => el('th', {}, t))));
for (const e of data.events) {
  const phase = e.phase === 'fired' && e.scheduled === false ? 'retaliation' : e.phase;
  table.append(
      el('tr', {}, el('td', {}, e.date), el('td', {}, el('span', {class: 'phase ' + phase}, phase)),
         el('td', {}, el('b', {}, e.event || ''), el('div', {class: 'muted small'}, e.id || '')),
         el('td', {}, powerName(e.source)), el('td', {}, (e.recipient || []).join(', ')),
         el('td', {}, e.channel || ''),
         el('td', {class: 'num'}, typeof e.magnitude === 'number' ? e.magnitude : ''),
         el('td', {class: 'small'}, e.cause || ''),
         el('td', {class: 'small'}, e.context || '',
            e.reference ? el('div', {class: 'muted'}, 'Source: ' + e.reference) : null)));
}

// ---- Reading notes ----
document.getElementById('recorded-source').textContent = data.recorded_source ?
    'Here they come from ' + data.recorded_source + '.' :
    'This report has none.';
document.getElementById('reproduce')
    .append(
        el('code', {}, ['multivector run', ...changes].join(' ')), ' then ',
        el('code', {}, 'multivector report ' + meta.run_dir));
document.getElementById('footer').textContent = 'Written by multivector report ' +
    `${meta.report_version}. Charts: Vega-Lite, inlined; this file needs no network.`;

Promise.all(pending).then(() => {
  document.body.dataset.chartsReady = String(pending.length);
});
})();
