#pragma once

#include "core/tensor.h"
#include "ir/graph.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lb::runtime {

// What a kernel sees while it runs one node. The executor owns the tensors; a kernel reads its
// inputs and asks for its outputs, which come from the memory plan when their size is known.
class KernelContext {
public:
    // storageBytes 0: numel * dtypeSize.
    using Allocate = std::function<Tensor(size_t output, DataType type, const Shape& shape,
                                          size_t storageBytes)>;

    KernelContext(std::vector<const Tensor*> inputs, std::vector<Tensor>& outputs,
                  Allocate allocate, int threads)
        : m_inputs(std::move(inputs)), m_outputs(outputs), m_allocate(std::move(allocate)),
          m_threads(threads) {}

    size_t inputCount() const { return m_inputs.size(); }
    // nullptr for an omitted optional input.
    const Tensor* input(size_t i) const { return i < m_inputs.size() ? m_inputs[i] : nullptr; }
    // Input i, which must be present (the kernel's creation checked arity).
    const Tensor& in(size_t i) const { return *m_inputs[i]; }
    size_t outputCount() const { return m_outputs.size(); }
    // Output i with this type and shape; contents are unspecified (not zeroed).
    Tensor& output(size_t i, DataType type, const Shape& shape) {
        m_outputs[i] = m_allocate(i, type, shape, 0);
        return m_outputs[i];
    }
    // Output i in a backend-private layout needing `storageBytes` (padding included); only for
    // outputs whose KernelInfo::outputStaysInBackend is true.
    Tensor& output(size_t i, DataType type, const Shape& shape, std::shared_ptr<const void> layout,
                   size_t storageBytes) {
        m_outputs[i] = m_allocate(i, type, shape, storageBytes);
        m_outputs[i].setLayout(std::move(layout), storageBytes);
        return m_outputs[i];
    }
    // Output i shares the storage of an input (Reshape, Identity, Squeeze...). Only allowed
    // for outputs the kernel declared in Kernel::aliasedInput.
    void setAlias(size_t i, Tensor t) { m_outputs[i] = std::move(t); }
    int threads() const { return m_threads; }

private:
    std::vector<const Tensor*> m_inputs;
    std::vector<Tensor>& m_outputs;
    Allocate m_allocate;
    int m_threads;
};

// Runs one node. Created once per session (attributes parsed, weights pre-packed); run() may be
// called many times. Errors thrown from run() are wrapped with the node's name by the executor.
class Kernel {
public:
    virtual ~Kernel() = default;
    virtual void run(KernelContext& ctx) = 0;
    // When output `output` shares storage with an input, that input's index, so the memory
    // planner keeps the buffer alive as long as the output.
    virtual std::optional<size_t> aliasedInput(size_t output) const {
        (void)output;
        return std::nullopt;
    }
    // Bytes output `output` needs when the kernel writes it in a private layout (padding), so the
    // memory plan reserves enough; 0 when the plain size is right.
    virtual size_t outputStorageBytes(size_t output) const {
        (void)output;
        return 0;
    }
    // Per input, the byte offset inside output 0 where that input's bytes may already sit when
    // the kernel runs, so it copies nothing for it (a channel Concat at batch 1: each input is
    // one contiguous range of the output); -1 for an input that cannot. Empty: no input can.
    // The memory planner places an input there only when it is the input's last reader, so the
    // kernel may rewrite that range (an input in place in a layout that does not fit).
    virtual std::vector<int64_t> inputOffsetsInOutput() const { return {}; }
    // The implementation the backend picked for this node (for oneDNN, the primitive's
    // implementation such as "jit_wino_4x3:avx512_core"); "" when there is nothing to tell.
    // Known after creation when the input shapes were static, else after the first run.
    virtual std::string implementation() const { return {}; }
};

// What a backend gets to create a kernel: the node, the graph it lives in (initializers are
// constant inputs a kernel may pre-pack), and the session's settings.
struct KernelInfo {
    const ir::Graph& graph;
    const ir::Node& node;
    int threads = 1;
    // Per output: every reader runs on this same backend and it is not a graph output, so the
    // kernel may leave it in a private layout. Private layouts never cross a partition border.
    std::vector<bool> outputStaysInBackend = {};

    const Tensor* constantInput(size_t i) const {
        return i < node.inputs.size() && node.inputs[i] != ir::kNoValue
                   ? graph.initializer(node.inputs[i])
                   : nullptr;
    }
    size_t inputCount() const { return node.inputs.size(); }
    bool hasInput(size_t i) const {
        return i < node.inputs.size() && node.inputs[i] != ir::kNoValue;
    }
    const ir::Value& inputValue(size_t i) const { return graph.value(node.inputs.at(i)); }
    const ir::Value& outputValue(size_t i) const { return graph.value(node.outputs.at(i)); }
};

} // namespace lb::runtime
