#pragma once

#include "ir/graph.h"

#include <memory>
#include <string>

namespace lb::widgets::test {

// x[1,3,8,8] -> Conv "conv1" (W 4x3x3x3 = 0..107 / 100, B) -> Relu "relu1" -> Conv "conv2"
// -> Add "add1" (with relu1, a skip edge) -> GlobalAveragePool "pool" -> Flatten "flatten"
// -> Gemm "fc" (W fc.weight 10x4) -> Softmax "prob" -> y.
std::shared_ptr<lb::ir::Graph> makeSmallGraph();

// Weights in Constant nodes, as PaddleOCR exports them: x[1,3,8,8] -> Conv "conv" (W from
// Constant "w_const" 4x3x3x3 = i / 100, B from Constant "b_const" scalar 0.5) -> Mul "mul" and
// Add "add" that share Constant "shared_const" (two consumers: stays a box) -> y; Constant
// "out_const" is also a graph output (stays a box).
std::shared_ptr<lb::ir::Graph> makeConstantGraph();

// A ResNet-like stack of about `nodes` nodes (Conv/Relu/Conv/Add blocks with side branches).
std::shared_ptr<lb::ir::Graph> makeSyntheticGraph(int nodes);

// A single chain of `nodes` nodes, the shape that fits to a hairline: input "x" -> "node_0" ->
// ... -> "node_{n-1}" -> output. Op types cycle Conv, Relu, HardSwish; node i writes tensor
// "<op in lower case>_<i>.out" (PaddleOCR style), so the Relu after a Conv reads "conv_<i>.out":
// a search for "conv" matches Conv nodes by op type and Relu nodes by tensor name. Each Conv is
// 1x1 with weight "conv_<i>.w" [8,8,1,1].
std::shared_ptr<lb::ir::Graph> makeChainGraph(int nodes);

} // namespace lb::widgets::test
