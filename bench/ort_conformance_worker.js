#!/usr/bin/env node
// ONNX Runtime's side of bench/onnx_conformance.py: a long-lived worker that runs one model per
// request, so the harness pays node's and onnxruntime-node's start-up once per job, not per test.
//
// Protocol: one JSON request per line on stdin,
//   {"model": PATH, "outputs": DIR, "inputs": {NAME: FILE.npy | {"type": "string", "dims": [..],
//    "data": [..]}}}
// and one JSON answer per line on stdout: {"ok": true, "outputs": {NAME: FILE}} with every output
// written to DIR as .npy (strings as .json {"dims", "data"}), or {"ok": false, "error": TEXT}.
// ORT runs as users run it: default graph optimizations ('all'), one intra-op thread (the harness
// runs two jobs on a two-core machine). A hang or a crash is the harness's to notice (it kills
// and restarts the worker). onnxruntime-node is found under $LB_NODE_MODULES (default
// $HOME/.cache/layerbench/npm/node_modules).
'use strict';

const fs = require('fs');
const path = require('path');
const readline = require('readline');
const {loadOrt, readNpy, writeNpy, safeFileName} = require('./ort_util');

function fatal(msg) {
  process.stderr.write(`ort_conformance_worker.js: ${msg}\n`);
  process.exit(1);
}

const ort = loadOrt(fatal);

function firstLine(e) {
  return String((e && e.message) || e).split('\n')[0];
}

async function runOne(req) {
  const feeds = {};
  for (const [name, spec] of Object.entries(req.inputs)) {
    if (typeof spec === 'string') {
      const t = readNpy(spec, (m) => { throw new Error(m); });
      feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
    } else {
      feeds[name] = new ort.Tensor(spec.type, spec.data, spec.dims);
    }
  }
  const session = await ort.InferenceSession.create(req.model, {intraOpNumThreads: 1,
                                                              interOpNumThreads: 1});
  try {
    const results = await session.run(feeds);
    const written = {};
    for (const name of session.outputNames) {
      const t = results[name];
      if (t.type === 'string') {
        const file = path.join(req.outputs, safeFileName(name) + '.json');
        fs.writeFileSync(file, JSON.stringify({dims: t.dims, data: Array.from(t.data)}));
        written[name] = file;
      } else {
        const file = path.join(req.outputs, safeFileName(name) + '.npy');
        writeNpy(file, t.type, t.dims, t.data, (m) => { throw new Error(m); });
        written[name] = file;
      }
    }
    return {ok: true, outputs: written};
  } finally {
    if (session.release) await session.release();
  }
}

const rl = readline.createInterface({input: process.stdin, terminal: false});
let queue = Promise.resolve();
rl.on('line', (line) => {
  queue = queue.then(async () => {
    let answer;
    try {
      answer = await runOne(JSON.parse(line));
    } catch (e) {
      answer = {ok: false, error: firstLine(e)};
    }
    process.stdout.write(JSON.stringify(answer) + '\n');
  });
});
