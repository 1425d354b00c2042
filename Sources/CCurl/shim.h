// libcurl's setters are C variadic functions, which Swift cannot call: one typed wrapper per
// argument kind rlmd passes.
#include <curl/curl.h>

typedef size_t (*rlmd_curl_data_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode rlmd_curl_easy_long(CURL *easy, CURLoption option, long value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode rlmd_curl_easy_pointer(CURL *easy, CURLoption option, void *value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode rlmd_curl_easy_string(CURL *easy, CURLoption option, const char *value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode rlmd_curl_easy_size(CURL *easy, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode rlmd_curl_easy_callback(CURL *easy, CURLoption option, rlmd_curl_data_callback value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLMcode rlmd_curl_multi_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}
