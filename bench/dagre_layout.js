#!/usr/bin/env node
// Times dagre's layout on a LayoutGraph JSON written by lb-bench-layout, with the same spacing
// (rankdir TB, nodesep/ranksep from the file). Prints one tab-separated line:
//   median_ms  min_ms  reps  layout_width  layout_height
// Usage: node dagre_layout.js GRAPH.json [reps] [budget_seconds]
// Stops starting new repetitions once the budget is spent; the caller enforces a hard timeout.
'use strict';
const fs = require('fs');
const path = require('path');

const modules = process.env.LB_NODE_MODULES || '/root/.cache/layerbench/npm/node_modules';
const dagre = require(path.join(modules, 'dagre'));

const file = process.argv[2];
const reps = Math.max(1, parseInt(process.argv[3] || '5', 10));
const budgetMs = 1000 * parseFloat(process.argv[4] || '60');
const doc = JSON.parse(fs.readFileSync(file, 'utf8'));

function buildGraph() {
    const g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: 'TB', nodesep: doc.nodeSeparation, ranksep: doc.rankSeparation,
                 edgesep: doc.nodeSeparation / 2 });
    g.setDefaultEdgeLabel(() => ({}));
    doc.nodes.forEach((n, i) => g.setNode(String(i), { width: n.width, height: n.height }));
    doc.edges.forEach(([a, b], i) => g.setEdge(String(a), String(b), {}, 'e' + i));
    return g;
}

const times = [];
let g = null;
const start = Date.now();
while (times.length < reps && (times.length === 0 || Date.now() - start < budgetMs)) {
    g = buildGraph(); // dagre mutates the graph; building it is not timed
    const t0 = process.hrtime.bigint();
    dagre.layout(g);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
times.sort((a, b) => a - b);
const info = g.graph();
console.log([times[Math.floor(times.length / 2)].toFixed(3), times[0].toFixed(3), times.length,
             info.width.toFixed(0), info.height.toFixed(0)].join('\t'));
