#include "probes/web/fetch_result.h"

namespace netwarden {

std::string_view to_string(FetchFailure failure) {
  switch (failure) {
    case FetchFailure::none: return "none";
    case FetchFailure::bad_url: return "bad_url";
    case FetchFailure::dns: return "dns";
    case FetchFailure::connect: return "connect";
    case FetchFailure::tls: return "tls";
    case FetchFailure::timeout: return "timeout";
    case FetchFailure::protocol: return "protocol";
    case FetchFailure::body_too_large: return "body_too_large";
    case FetchFailure::redirect_loop: return "redirect_loop";
    case FetchFailure::too_many_redirects: return "too_many_redirects";
  }
  return "unknown";
}

}  // namespace netwarden
