#!/usr/bin/env node
// The quantization error as ONNX Runtime sees it, independent of LayerBench's simulation: runs
// the fp32 model and a QDQ model (`layerbench-cli quantize ... --qdq OUT.onnx`) in
// onnxruntime-node on the same samples and reports, per output and pooled over the samples, the
// SQNR (10 log10 of signal power over error power), the cosine and the top-1 agreement as
// `quantize` defines it (argmax over axis 1 for rank >= 4 else the last axis; a one-channel map
// is a decision at 0.5 per element). Optionally compares LayerBench's own outputs (`run
// --outputs DIR`, one DIR per sample) with the same fp32 reference.
//
//   node bench/qdq_sqnr.js FP32.onnx QDQ.onnx --input x=S1.npy [--input x=S2.npy]...
//        [--ours DIR1,DIR2,...] [--ort-optimization disabled|basic|extended|all] [--json FILE|-]
//
// Exit code 0 on success, 1 on any error (a missing ORT included), 2 on a usage error.
'use strict';

const fs = require('fs');
const path = require('path');
const {loadOrt: loadOrtFrom, readNpy: readNpyFrom, safeFileName} = require('./ort_util');

function fail(msg, code = 1) {
  process.stderr.write(`qdq_sqnr.js: ${msg}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const a = {inputs: [], level: 'all', ours: []};
  for (let i = 0; i < argv.length; ++i) {
    const o = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${o} needs a value`, 2);
      return argv[++i];
    };
    if (o === '--input') {
      const v = value();
      const eq = v.indexOf('=');
      if (eq < 0) fail('--input takes NAME=FILE.npy', 2);
      a.inputs.push([v.slice(0, eq), v.slice(eq + 1)]);
    } else if (o === '--ours') a.ours = value().split(',');
    else if (o === '--ort-optimization') a.level = value();
    else if (o === '--json') a.json = value();
    else if (o.startsWith('-')) fail(`unknown option '${o}'`, 2);
    else if (!a.fp32) a.fp32 = o;
    else if (!a.qdq) a.qdq = o;
    else fail(`unexpected argument '${o}'`, 2);
  }
  if (!a.fp32 || !a.qdq || !a.inputs.length) fail('needs FP32.onnx, QDQ.onnx and --input', 2);
  if (!['disabled', 'basic', 'extended', 'all'].includes(a.level))
    fail(`--ort-optimization takes disabled, basic, extended or all, not '${a.level}'`, 2);
  if (a.ours.length && a.ours.length !== a.inputs.length)
    fail(`--ours names ${a.ours.length} folders for ${a.inputs.length} samples`, 2);
  return a;
}

// Accumulates signal power, error power, dot products and top-1 over samples.
function accumulator() {
  return {sig: 0, err: 0, dot: 0, nq: 0, rows: 0, agree: 0};
}

function add(acc, dims, ref, q) {
  if (ref.length !== q.length) fail(`outputs of ${ref.length} and ${q.length} elements`);
  for (let i = 0; i < ref.length; ++i) {
    const d = q[i] - ref[i];
    acc.sig += ref[i] * ref[i];
    acc.err += d * d;
    acc.dot += ref[i] * q[i];
    acc.nq += q[i] * q[i];
  }
  const axis = dims.length >= 4 ? 1 : dims.length - 1;
  const classes = dims.length ? dims[axis] : 1;
  const inner = dims.slice(axis + 1).reduce((p, v) => p * v, 1);
  if (classes === 1) {
    let unit = true;
    for (const v of ref) if (!(v >= 0 && v <= 1)) unit = false;
    const t = unit ? 0.5 : 0;
    for (let i = 0; i < ref.length; ++i) acc.agree += (ref[i] > t) === (q[i] > t) ? 1 : 0;
    acc.rows += ref.length;
    return;
  }
  const outer = ref.length / (classes * inner);
  for (let o = 0; o < outer; ++o)
    for (let i = 0; i < inner; ++i, ++acc.rows) {
      const base = o * classes * inner + i;
      let ba = 0, bb = 0;
      for (let c = 1; c < classes; ++c) {
        if (ref[base + c * inner] > ref[base + ba * inner]) ba = c;
        if (q[base + c * inner] > q[base + bb * inner]) bb = c;
      }
      if (ba === bb) ++acc.agree;
    }
}

function summary(acc) {
  return {sqnr_db: 10 * Math.log10(acc.sig / acc.err), cosine: acc.dot / Math.sqrt(acc.sig * acc.nq),
          top1_agreement: acc.rows ? acc.agree / acc.rows : 0, positions: acc.rows};
}

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const ort = loadOrtFrom(fail);
  const open = (model, level) => ort.InferenceSession.create(model, {
    graphOptimizationLevel: level, intraOpNumThreads: 1, interOpNumThreads: 1,
    executionMode: 'sequential', executionProviders: ['cpu'],
  });
  const fp32 = await open(a.fp32, 'all');
  const qdq = await open(a.qdq, a.level);
  const accs = {qdq: {}, ours: {}};
  for (let s = 0; s < a.inputs.length; ++s) {
    const [name, file] = a.inputs[s];
    const t = readNpyFrom(file, fail);
    const feeds = {[name]: new ort.Tensor(t.type, t.data, t.dims)};
    const ref = await fp32.run(feeds);
    const q = await qdq.run(feeds);
    for (const out of fp32.outputNames) {
      if (!(out in q)) fail(`${a.qdq}: no output '${out}'`);
      accs.qdq[out] = accs.qdq[out] || accumulator();
      add(accs.qdq[out], ref[out].dims, ref[out].data, q[out].data);
      if (a.ours.length) {
        const ours = readNpyFrom(path.join(a.ours[s], safeFileName(out) + '.npy'), fail);
        accs.ours[out] = accs.ours[out] || accumulator();
        add(accs.ours[out], ref[out].dims, ref[out].data, ours.data);
      }
    }
  }
  const report = {fp32: a.fp32, qdq: a.qdq, ort_optimization: a.level, samples: a.inputs.length,
                  runtime: `onnxruntime-node ${ort.env.versions.common}`, outputs: {}};
  for (const out of Object.keys(accs.qdq)) {
    report.outputs[out] = {ort_qdq: summary(accs.qdq[out])};
    if (accs.ours[out]) report.outputs[out].ours = summary(accs.ours[out]);
  }
  if (a.json) {
    const text = JSON.stringify(report, null, 2) + '\n';
    if (a.json === '-') process.stdout.write(text);
    else fs.writeFileSync(a.json, text);
  }
  for (const [out, r] of Object.entries(report.outputs))
    for (const [who, m] of Object.entries(r))
      process.stderr.write(`${out} ${who}: SQNR ${m.sqnr_db.toFixed(2)} dB, cosine ` +
                           `${m.cosine.toFixed(5)}, top-1 ${(100 * m.top1_agreement).toFixed(2)}% ` +
                           `over ${a.inputs.length} samples\n`);
}

main().catch((e) => fail(e && e.message ? e.message : String(e)));
