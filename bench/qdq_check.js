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
//   node bench/qdq_check.js --make-page FILE.npy --shape 1x3xHxW [--seed N] [--style STYLE]
//        --style blocks (default): a page-like float32 input in [-1, 1] ((x / 255 - 0.5) / 0.5):
//          light background, rows of solid dark blocks, noise; for the QDQ exactness check. The
//          detector does not see these blocks as text: its map stays ~0 (0.01% of the pixels
//          above 0.3), so it is no calibration data for det.
//        --style strokes: a text page as det sees one: rows of stroke glyphs (2-4 lines of 1-3
//          px each, 14-30 px high) on light paper, normalised as PaddleOCR det's own
//          preprocessing does (ImageNet mean and std after / 255); det marks 20% of its pixels
//          as text, as on a rendered page of real text.
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

// Stroke glyphs on a 3x3 lattice per glyph cell, words of 2-8 glyphs, rows of one text height;
// ink 0.08 on paper 0.94 (0-1), uniform noise of +-0.04, then det's normalisation per channel.
function makeStrokePage(dims, seed) {
  const [n, c, h, w] = dims;
  const rand = generator(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const plane = new Float32Array(h * w).fill(0.94);
  const ink = (px, py, t) => {
    for (let y = py; y < Math.min(h, py + t); ++y)
      for (let x = px; x < Math.min(w, px + t); ++x) plane[y * w + x] = 0.08;
  };
  for (let y = 16;;) {
    const gh = pick([14, 18, 22, 26, 30]);
    if (y + gh >= h - 8) break;
    const gw = Math.floor(gh * 0.6), t = Math.max(1, Math.floor(gh / 9));
    for (let x = 12; x + gw < w - 12;) {
      const glyphs = 2 + Math.floor(rand() * 7);
      for (let g = 0; g < glyphs && x + gw < w - 12; ++g) {
        const strokes = 2 + Math.floor(rand() * 3);
        for (let k = 0; k < strokes; ++k) {
          const a = Math.floor(rand() * 9), b = (a + 1 + Math.floor(rand() * 8)) % 9;
          const x0 = x + (a % 3) * (gw >> 1), y0 = y + Math.floor(a / 3) * (gh >> 1);
          const x1 = x + (b % 3) * (gw >> 1), y1 = y + Math.floor(b / 3) * (gh >> 1);
          const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0));
          for (let i = 0; i <= steps; ++i)
            ink(Math.round(x0 + ((x1 - x0) * i) / Math.max(1, steps)),
                Math.round(y0 + ((y1 - y0) * i) / Math.max(1, steps)), t);
        }
        x += gw + Math.max(2, Math.floor(gh / 6));
      }
      x += gw;
    }
    y += Math.floor(gh * 1.7);
  }
  const mean = [0.485, 0.456, 0.406], std = [0.229, 0.224, 0.225];
  const out = new Float32Array(n * c * h * w);
  for (let i = 0; i < h * w; ++i) {
    const v = Math.min(1, Math.max(0, plane[i] + (rand() * 0.08 - 0.04)));
    for (let b = 0; b < n; ++b)
      for (let ch = 0; ch < c; ++ch) out[(b * c + ch) * h * w + i] = (v - mean[ch % 3]) / std[ch % 3];
  }
  return out;
}

function parseArgs(argv) {
  const a = {inputs: {}, maxLsb: 1, threads: 1, style: 'blocks'};
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
    else if (o === '--style') a.style = value();
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
    if (a.style !== 'blocks' && a.style !== 'strokes')
      fail(`--style takes blocks or strokes, not '${a.style}'`, 2);
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
    const make = a.style === 'strokes' ? makeStrokePage : makePage;
    writeNpy(a.makePage, dims, make(dims, a.seed || 1));
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
