// A transformer encoder's self-attention as PyTorch exports it (ViT's Attention at opset 13):
// qkv [B, S, 3 * H * D] -> Reshape [B, S, 3, H, D] -> Transpose (2, 0, 3, 1, 4) -> Gather 0, 1, 2
// (q, k, v [B, H, S, D]); k -> Transpose (0, 1, 3, 2) ("kt"); "s" = MatMul(q, kt); scaled by
// 1 / sqrt(D) as a Mul or a Div ("scaled"); Softmax on the last axis; MatMul with v ("o");
// Transpose (0, 2, 1, 3); Reshape [B, S, H * D] ("y").
#pragma once

#include "onednn_test_util.h"

#include <cmath>

namespace lbtest {

struct AttentionSpec {
    int64_t batch = 1, seq = 197, heads = 3, dim = 64;
    bool divide = false; // the scale as Div by sqrt(D) instead of Mul by 1 / sqrt(D)
};

inline ir::ValueId int64Const(GraphBuilder& b, const std::string& name, std::vector<int64_t> v,
                              bool scalar = false) {
    Tensor t(DataType::Int64, scalar ? Shape{} : Shape{static_cast<int64_t>(v.size())});
    std::copy(v.begin(), v.end(), t.data<int64_t>());
    const ir::ValueId id = b.constant(name, t);
    b.graph()->value(id).dtype = DataType::Int64;
    return id;
}

inline Tensor scalarTensor(float v) {
    Tensor t(DataType::Float32, {});
    t.data<float>()[0] = v;
    return t;
}

inline std::shared_ptr<ir::Graph> attentionGraph(const AttentionSpec& a) {
    const int64_t B = a.batch, S = a.seq, H = a.heads, D = a.dim;
    GraphBuilder b(13);
    const ir::ValueId x = b.input("qkv", {B, S, 3 * H * D});
    const ir::ValueId r =
        b.node("Reshape", {x, int64Const(b, "shape5", {B, S, 3, H, D})}, "r", Shape{B, S, 3, H, D});
    const ir::ValueId t =
        b.node("Transpose", {r}, "t", Shape{3, B, H, S, D}, {attrInts("perm", {2, 0, 3, 1, 4})});
    const Shape head{B, H, S, D};
    ir::ValueId qkv[3];
    for (int64_t i = 0; i < 3; ++i)
        qkv[i] = b.node("Gather", {t, int64Const(b, "i" + std::to_string(i), {i}, true)},
                        std::string(1, "qkv"[i]), head, {attrInt("axis", 0)});
    const ir::ValueId kt =
        b.node("Transpose", {qkv[1]}, "kt", Shape{B, H, D, S}, {attrInts("perm", {0, 1, 3, 2})});
    const ir::ValueId s = b.node("MatMul", {qkv[0], kt}, "s", Shape{B, H, S, S});
    const float root = std::sqrt(static_cast<float>(D));
    const ir::ValueId scaled =
        a.divide ? b.node("Div", {s, b.constant("root_d", scalarTensor(root))}, "scaled",
                          Shape{B, H, S, S})
                 : b.node("Mul", {s, b.constant("inv_root_d", scalarTensor(1.0f / root))}, "scaled",
                          Shape{B, H, S, S});
    const ir::ValueId p =
        b.node("Softmax", {scaled}, "p", Shape{B, H, S, S}, {attrInt("axis", -1)});
    const ir::ValueId o = b.node("MatMul", {p, qkv[2]}, "o", head);
    const ir::ValueId ot =
        b.node("Transpose", {o}, "ot", Shape{B, S, H, D}, {attrInts("perm", {0, 2, 1, 3})});
    b.output(
        b.node("Reshape", {ot, int64Const(b, "shape3", {B, S, H * D})}, "y", Shape{B, S, H * D}));
    return b.graph();
}

} // namespace lbtest
