#!/usr/bin/env node
// Runs a QDQ model (from `layerbench-cli quantize ... --qdq OUT.onnx`) in ONNX Runtime
// (onnxruntime-node) and compares every output with LayerBench's quantization simulation
// (`layerbench-cli run MODEL --encodings E.json --input x=X.npy --outputs DIR`), in units of the
// output's encoding step (LSB), with ORT's graph optimizations off (QuantizeLinear /
// DequantizeLinear run as written: the exactness check) and on (ORT fuses QDQ groups into
// QLinearConv & co. with integer arithmetic).
//
//   node bench/qdq_check.js QDQ.onnx --encodings E.json --reference DIR
//        [--input NAME=FILE.npy]... [--max-lsb 1] [--threads N] [--json FILE|-]
//   node bench/qdq_check.js --make-page FILE.npy --shape 1x3xHxW [--seed N]
//        (a text-page-like float32 input in [-1, 1], PaddleOCR's normalised range: light
//        background, rows of dark word blocks, noise; for calibration and the check)
//
// Exit code 0 when every output is within --max-lsb in both modes, 1 otherwise (or on any
// error, a missing ORT included), 2 on a usage error. onnxruntime-node is found under
// $LB_NODE_MODULES (default $HOME/.cache/layerbench/npm/node_modules).
'use strict';

const fs = require('fs');
const path = require('path');
const {loadOrt: loadOrtFrom, readNpy: readNpyFrom, writeNpy: writeNpyFrom, safeFileName, generator} =
    require('./ort_util');

function fail(msg, code = 1) {
  process.stderr.write(`qdq_check.js: ${msg}\n`);
  process.exit(code);
}

const loadOrt = () => loadOrtFrom(fail);
const readNpy = (file) => readNpyFrom(file, fail);
const writeNpy = (file, dims, data) => writeNpyFrom(file, 'float32', dims, data, fail);

// Activation name -> scale (per-tensor: the first channel's) from a 0.6.1 or 1.0.0 file.
function outputScales(file) {
  const j = JSON.parse(fs.readFileSync(file, 'utf8'));
  const scales = {};
  const acts = j.activation_encodings || {};
  if (Array.isArray(acts)) {
    for (const e of acts) if (Array.isArray(e.scale) && e.scale.length) scales[e.name] = e.scale[0];
  } else {
    for (const [name, list] of Object.entries(acts))
      if (Array.isArray(list) && list.length && list[0].scale !== undefined) scales[name] = list[0].scale;
  }
  return scales;
}

// The page tests/engine/ort_compare_test.cpp draws (8 px glyphs, rows of words), own RNG.
function makePage(dims, seed) {
  const [n, c, h, w] = dims;
  const rand = generator(seed);
  const plane = new Float32Array(h * w).fill(0.8);
  const glyph = 8;
  for (let row = glyph; row + 2 * glyph < h; row += 4 * glyph)
    for (let x = glyph; x + glyph < w;) {
      const word = glyph * (2 + Math.floor(rand() * 6));
      for (let y = row; y < row + 2 * glyph; ++y)
        for (let k = x; k < Math.min(w - 1, x + word); ++k)
          if (Math.floor(k / (glyph / 2 + 1)) % 3 !== 2) plane[y * w + k] = -0.7;
      x += word + 2 * glyph;
    }
  const out = new Float32Array(n * c * h * w);
  for (let i = 0; i < out.length; ++i)
    out[i] = Math.min(1, Math.max(-1, plane[i % (h * w)] + (rand() * 0.2 - 0.1)));
  return out;
}

function parseArgs(argv) {
  const a = {inputs: {}, maxLsb: 1, threads: 1};
  for (let i = 0; i < argv.length; ++i) {
    const o = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${o} needs a value`, 2);
      return argv[++i];
    };
    if (o === '--encodings') a.encodings = value();
    else if (o === '--reference') a.reference = value();
    else if (o === '--max-lsb') a.maxLsb = Number(value());
    else if (o === '--threads') a.threads = Number(value());
    else if (o === '--json') a.json = value();
    else if (o === '--make-page') a.makePage = value();
    else if (o === '--shape') a.shape = value();
    else if (o === '--seed') a.seed = Number(value());
    else if (o === '--input') {
      const v = value();
      const eq = v.indexOf('=');
      if (eq < 0) fail('--input takes NAME=FILE.npy', 2);
      a.inputs[v.slice(0, eq)] = v.slice(eq + 1);
    } else if (o.startsWith('-')) fail(`unknown option '${o}'`, 2);
    else if (!a.model) a.model = o;
    else fail(`more than one model given ('${a.model}', '${o}')`, 2);
  }
  if (a.makePage) {
    if (!/^\d+x\d+x\d+x\d+$/.test(a.shape || '')) fail('--make-page needs --shape NxCxHxW', 2);
    return a;
  }
  if (!a.model || !a.encodings || !a.reference) fail('needs QDQ.onnx, --encodings and --reference', 2);
  if (!(a.maxLsb >= 0)) fail('--max-lsb takes a number >= 0', 2);
  return a;
}

// Max |ort - ours| over the output, in steps of `scale`, and how many elements differ at all.
function compare(ort, ours, scale) {
  let maxAbs = 0, worst = 0, differing = 0, overOne = 0;
  for (let i = 0; i < ort.length; ++i) {
    const d = Math.abs(ort[i] - ours[i]);
    if (!(d <= maxAbs)) {
      maxAbs = d;
      worst = i;
    }
    if (d > scale * 1e-3) ++differing;
    if (d > scale * 1.001) ++overOne;
  }
  return {max_abs: maxAbs, max_lsb: maxAbs / scale, worst_index: worst, ort: ort[worst],
          ours: ours[worst], differing_elements: differing, over_1_lsb_elements: overOne,
          elements: ort.length};
}

async function main() {
  const a = parseArgs(process.argv.slice(2));
  if (a.makePage) {
    const dims = a.shape.split('x').map(Number);
    writeNpy(a.makePage, dims, makePage(dims, a.seed || 1));
    return;
  }
  const ort = loadOrt();
  const scales = outputScales(a.encodings);
  const feeds = {};
  for (const [name, file] of Object.entries(a.inputs)) {
    const t = readNpy(file);
    feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
  }
  const rows = [];
  let ok = true;
  for (const level of ['disabled', 'basic', 'extended', 'all']) {
    const session = await ort.InferenceSession.create(a.model, {
      graphOptimizationLevel: level, intraOpNumThreads: a.threads, interOpNumThreads: 1,
      executionMode: 'sequential', executionProviders: ['cpu'],
    });
    for (const name of session.inputNames)
      if (!(name in feeds)) fail(`${a.model}: input '${name}' not given (--input ${name}=FILE.npy)`);
    const outputs = await session.run(feeds);
    for (const name of session.outputNames) {
      if (!(name in scales)) fail(`${a.encodings}: output '${name}' has no activation encoding`);
      const refFile = path.join(a.reference, safeFileName(name) + '.npy');
      if (!fs.existsSync(refFile)) fail(`${refFile}: missing (run layerbench-cli run --outputs)`);
      const ref = readNpy(refFile);
      const t = outputs[name];
      if (ref.data.length !== t.data.length)
        fail(`output '${name}': ORT has ${t.data.length} elements, the reference ${ref.data.length}`);
      const d = compare(t.data, ref.data, scales[name]);
      const pass = d.max_lsb <= a.maxLsb + 1e-3; // float slack on the division
      ok = ok && pass;
      rows.push({output: name, ort_optimization: level, scale: scales[name], ...d, pass});
    }
    await session.release();
  }
  const report = {model: a.model, runtime: `onnxruntime-node ${ort.env.versions.common}`,
                  max_lsb_allowed: a.maxLsb, pass: ok, outputs: rows};
  if (a.json) {
    const text = JSON.stringify(report, null, 2) + '\n';
    if (a.json === '-') process.stdout.write(text);
    else fs.writeFileSync(a.json, text);
  }
  for (const r of rows)
    process.stderr.write(`${r.pass ? 'ok  ' : 'FAIL'} ${r.output} (ORT optimization ${r.ort_optimization}): ` +
                         `max ${r.max_lsb.toFixed(3)} LSB (scale ${r.scale.toPrecision(6)}), ` +
                         `${r.differing_elements}/${r.elements} elements differ, ` +
                         `${r.over_1_lsb_elements} by more than 1 LSB\n`);
  process.exit(ok ? 0 : 1);
}

main().catch((e) => fail(e && e.message ? e.message : String(e)));
