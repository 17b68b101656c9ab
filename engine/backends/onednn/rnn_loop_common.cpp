#include "backends/onednn/rnn_loop_common.h"

#include <cstring>

namespace lb::backends::onednn::rnnloop {

Buffer packGates(const float* from, int64_t gates, int64_t hidden, int64_t cols) {
    const int64_t blocks = hidden / kBlock;
    Buffer packed;
    float* out = static_cast<float*>(
        packed.reserve(static_cast<size_t>(blocks * cols * gates * kBlock) * sizeof(float)));
    for (int64_t jb = 0; jb < blocks; ++jb)
        for (int64_t k = 0; k < cols; ++k)
            for (int64_t g = 0; g < gates; ++g)
                for (int64_t l = 0; l < kBlock; ++l)
                    out[static_cast<size_t>(((jb * cols + k) * gates + g) * kBlock + l)] =
                        from[(g * hidden + jb * kBlock + l) * cols + k];
    return packed;
}

void StepProjections::addDirection(std::vector<float> wRows, std::vector<float> bias) {
    m_wRows.push_back(std::move(wRows));
    m_bias.push_back(std::move(bias));
    m_rows = -1;
}

void StepProjections::run(const float* x, int64_t rows, int64_t input, std::vector<Buffer>& out) {
    const size_t dirs = m_wRows.size();
    const int64_t columns = dirs ? static_cast<int64_t>(m_bias[0].size()) : 0;
    const auto f32 = memory::data_type::f32;
    using tag = memory::format_tag;
    if (rows != m_rows) {
        const dnnl::matmul::desc desc(memory::desc({rows, input}, f32, tag::ab),
                                      memory::desc({input, columns}, f32, tag::any),
                                      memory::desc({1, columns}, f32, tag::ab),
                                      memory::desc({rows, columns}, f32, tag::ab));
        m_pd = dnnl::matmul::primitive_desc(desc, cpuEngine());
        m_prim = dnnl::matmul(m_pd);
        m_wPacked.resize(dirs);
        for (size_t d = 0; d < dirs; ++d)
            packWeights(m_wPacked[d], m_pd.weights_desc(),
                        memory::desc({input, columns}, f32, tag::ba), m_wRows[d].data());
        m_rows = rows;
    }
    dnnl::engine& eng = cpuEngine();
    for (size_t d = 0; d < dirs; ++d)
        m_prim.execute(cpuStream(),
                       {{DNNL_ARG_SRC, memory(m_pd.src_desc(), eng, const_cast<float*>(x))},
                        {DNNL_ARG_WEIGHTS, m_wPacked[d]},
                        {DNNL_ARG_BIAS,
                         memory(memory::desc({1, columns}, f32, tag::ab), eng, m_bias[d].data())},
                        {DNNL_ARG_DST, memory(m_pd.dst_desc(), eng, out[d].data())}});
    cpuStream().wait();
}

} // namespace lb::backends::onednn::rnnloop
