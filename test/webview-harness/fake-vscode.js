/*
 * A stand-in for VS Code's webview host, for the harness page: `acquireVsCodeApi()` with
 * postMessage/getState/setState, answering the panel's requests from the JSON fixtures the way the
 * extension host answers them from the language server. Loaded as a file (the page's CSP allows no
 * inline script).
 *
 * Query parameters: fixture=1t|invalid|not-modelled|cluster|none, theme=dark|light|hc,
 * view=heatmap|timeline|memory|summary, metric=sram|compute, layer=N, systems=N (restored state).
 */
(function () {
  'use strict';
  var params = new URLSearchParams(window.location.search);
  var fixture = params.get('fixture') || '1t';
  var theme = params.get('theme') || 'dark';

  var bodyClass = { dark: 'vscode-dark', light: 'vscode-light', hc: 'vscode-high-contrast' }[theme] || 'vscode-dark';
  document.documentElement.classList.add('theme-' + theme);
  function applyBodyClass() {
    document.body.className = bodyClass;
    document.body.setAttribute('data-vscode-theme-kind', bodyClass);
  }
  if (document.body) applyBodyClass();
  else document.addEventListener('DOMContentLoaded', applyBodyClass);

  // What the bench and the screenshot script read.
  window.__waferscopePerf = { heatmapPaints: [], redraws: 0, redrawMs: [] };
  window.__waferscopeMessages = [];

  var state;
  if (params.has('view') || params.has('metric') || params.has('layer') || params.has('systems')) {
    state = {
      view: params.get('view') || 'heatmap',
      metric: params.get('metric') || 'sram',
      layer: Number(params.get('layer') || 0),
      systems: Number(params.get('systems') || 0),
    };
  }

  var heatmapIndex;
  var currentUri;

  function send(message) {
    window.postMessage(message, window.location.origin);
  }

  function fetchJson(name) {
    return fetch('/fixtures/' + name).then(function (response) {
      if (!response.ok) throw new Error(name + ': HTTP ' + response.status);
      return response.json();
    });
  }

  function nearestFixture(layer, names) {
    // The fixture of the same kind of layer (embedding / decoder / head) closest to the one asked for.
    var kind = function (i) {
      var n = names[i] || '';
      return n.indexOf('decoder') === 0 ? 'decoder' : n;
    };
    var best;
    heatmapIndex.layers.forEach(function (l) {
      if (kind(l) !== kind(layer)) return;
      if (best === undefined || Math.abs(l - layer) < Math.abs(best - layer)) best = l;
    });
    return best === undefined ? heatmapIndex.layers[0] : best;
  }

  function answerHeatmap(layer) {
    var ready = heatmapIndex ? Promise.resolve(heatmapIndex) : fetchJson('heatmaps.json');
    ready
      .then(function (index) {
        heatmapIndex = index;
        var source = index.layers.indexOf(layer) >= 0 ? layer : nearestFixture(layer, index.names);
        return fetchJson('heatmap-' + source + '.json');
      })
      .then(function (message) {
        message.payload.layer = layer;
        message.payload.layerName = heatmapIndex.names[layer] || message.payload.layerName;
        message.payload.uri = currentUri;
        send(message);
      })
      .catch(function (error) {
        send({ type: 'error', message: 'Heatmap for layer ' + layer + ': ' + error.message });
      });
  }

  function answerTimeline(systems) {
    fetchJson('timeline-' + systems + '.json')
      .then(function (message) {
        message.payload.uri = currentUri;
        send(message);
      })
      .catch(function (error) {
        send({ type: 'error', message: 'Timeline on ' + systems + ' systems: ' + error.message });
      });
  }

  var acquired = false;
  window.acquireVsCodeApi = function () {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return {
      postMessage: function (message) {
        window.__waferscopeMessages.push(message);
        switch (message && message.type) {
          case 'ready':
            if (fixture === 'none') return;
            fetchJson('result-' + fixture + '.json').then(function (message) {
              currentUri = message.result.uri;
              send(message);
            });
            break;
          case 'requestHeatmap':
            answerHeatmap(message.layer);
            break;
          case 'requestTimeline':
            answerTimeline(message.systems);
            break;
        }
      },
      getState: function () {
        return state;
      },
      setState: function (next) {
        state = next;
      },
    };
  };

  // For scripted runs: send any host message (e.g. { type: 'showView', view: 'memory' }).
  window.__waferscopeHost = { send: send };
})();
