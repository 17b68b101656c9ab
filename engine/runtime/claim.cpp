#include "runtime/claim.h"

namespace lb::runtime {

const char* declineCode(Decline reason) {
    switch (reason) {
    case Decline::Op:
        return "unsupported-op";
    case Decline::Dtype:
        return "unsupported-dtype";
    case Decline::Attribute:
        return "unsupported-attribute";
    case Decline::Shape:
        return "unsupported-shape";
    case Decline::Input:
        return "unsupported-input";
    }
    return "unsupported";
}

} // namespace lb::runtime
