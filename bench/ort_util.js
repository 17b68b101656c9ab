// Shared by bench/ort_run.js and bench/qdq_check.js: loading onnxruntime-node, .npy files
// (format 1.0-3.0, little-endian, C order), the output file names our CLI uses, and the fixed
// generator both draw inputs from. Every function that can fail takes the caller's `fail`
// (message, code) so errors keep the tool's own prefix.
'use strict';

const fs = require('fs');
const path = require('path');
const os = require('os');

// onnxruntime-node under $LB_NODE_MODULES (default $HOME/.cache/layerbench/npm/node_modules).
function loadOrt(fail) {
  const dir = process.env.LB_NODE_MODULES ||
      path.join(os.homedir(), '.cache', 'layerbench', 'npm', 'node_modules');
  const mod = path.join(dir, 'onnxruntime-node');
  try {
    return require(mod);
  } catch (e) {
    fail(`cannot load onnxruntime-node from ${mod} (set LB_NODE_MODULES): ${e.message}`);
  }
}

const kNpyTypes = {
  // descr (without byte order) -> [ORT type, TypedArray]
  f4: ['float32', Float32Array], f8: ['float64', Float64Array], f2: ['float16', Uint16Array],
  i1: ['int8', Int8Array], u1: ['uint8', Uint8Array], i2: ['int16', Int16Array],
  u2: ['uint16', Uint16Array], i4: ['int32', Int32Array], u4: ['uint32', Uint32Array],
  i8: ['int64', BigInt64Array], u8: ['uint64', BigUint64Array], b1: ['bool', Uint8Array],
};

function readNpy(file, fail) {
  const buf = fs.readFileSync(file);
  if (buf.length < 10 || buf.toString('latin1', 0, 6) !== '\x93NUMPY')
    fail(`${file}: not a .npy file (bad magic)`);
  const major = buf[6];
  let headerLen, offset;
  if (major === 1) {
    headerLen = buf.readUInt16LE(8);
    offset = 10;
  } else if (major === 2 || major === 3) {
    headerLen = buf.readUInt32LE(8);
    offset = 12;
  } else {
    fail(`${file}: .npy format version ${major} is not 1, 2 or 3`);
  }
  const header = buf.toString(major === 3 ? 'utf8' : 'latin1', offset, offset + headerLen);
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shape) fail(`${file}: cannot parse the .npy header '${header}'`);
  if (fortran[1] === 'True') fail(`${file}: Fortran-order .npy files are not supported`);
  const order = descr[1][0];
  const code = descr[1].slice(1);
  if (order === '>' || !(code in kNpyTypes) || (order === '|' && !['i1', 'u1', 'b1'].includes(code)))
    fail(`${file}: dtype '${descr[1]}' is not a little-endian numeric type`);
  const dims = shape[1].split(',').map((s) => s.trim()).filter((s) => s.length).map(Number);
  const [type, Arr] = kNpyTypes[code];
  const count = dims.reduce((a, b) => a * b, 1);
  const start = offset + headerLen;
  if (buf.length - start !== count * Arr.BYTES_PER_ELEMENT)
    fail(`${file}: holds ${buf.length - start} data bytes, shape [${dims}] of ${type} needs ` +
         `${count * Arr.BYTES_PER_ELEMENT}`);
  // Copy into a fresh, aligned buffer (the file's data offset need not be element-aligned).
  const data = new Arr(count);
  Buffer.from(data.buffer).set(buf.subarray(start));
  return {type, dims, data};
}

function writeNpy(file, type, dims, data, fail) {
  const entry = Object.entries(kNpyTypes).find(([, [t]]) => t === type);
  if (!entry) fail(`${file}: cannot write a .npy of type ${type}`);
  const code = entry[0];
  const descr = (['i1', 'u1', 'b1'].includes(code) ? '|' : '<') + code;
  const shapeText = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += ' '.repeat(pad % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  fs.writeFileSync(file, Buffer.concat([pre, Buffer.from(header, 'latin1'), body]));
}

// Same as lb::runtime::safeFileName.
function safeFileName(name) {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_');
}

// mulberry32: a tiny, fixed, portable generator (floats in [0, 1)), so inputs are the same
// everywhere.
function generator(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

module.exports = {loadOrt, readNpy, writeNpy, safeFileName, generator};
