// bzpeer — once-only libcurl initialisation (see curl_handles.hpp).
#include "connectors/http/curl_handles.hpp"

namespace bzpeer::http::detail {

CURLcode ensure_curl_global_init() noexcept {
  // C++ guarantees a function-local static is initialised once even when several threads
  // arrive together; curl_global_init itself is not safe to race before curl 7.84.
  static const CURLcode result = curl_global_init(CURL_GLOBAL_DEFAULT);
  return result;
}

}  // namespace bzpeer::http::detail
