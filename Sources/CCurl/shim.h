#ifndef TIERBENCH_CCURL_SHIM_H
#define TIERBENCH_CCURL_SHIM_H
// libcurl for Swift. curl_easy_setopt / curl_easy_getinfo / curl_multi_setopt are variadic C functions, which
// Swift cannot call, so each is wrapped once per argument type. Keep this file to such one-line wrappers.
#include <curl/curl.h>
#ifdef __linux__
// The curl loop's event source (CurlEventSource): epoll and eventfd, which Swift's Glibc module does not export.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#endif

static inline CURLcode tb_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode tb_easy_setopt_ptr(CURL *handle, CURLoption option, const void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode tb_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
typedef size_t (*tb_data_callback)(char *data, size_t size, size_t count, void *userdata);
static inline CURLcode tb_easy_setopt_data_callback(CURL *handle, CURLoption option, tb_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}
/// CURLOPT_PREREQFUNCTION: called once the connection is established or reused, before the request is sent.
typedef int (*tb_closesocket_callback)(void *clientp, curl_socket_t item);
static inline CURLcode tb_easy_setopt_closesocket_callback(CURL *handle, tb_closesocket_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_CLOSESOCKETFUNCTION, callback);
}
/// CURLOPT_OPENSOCKETFUNCTION: the application creates the socket for a connection (and so knows it is libcurl's).
static inline CURLcode tb_easy_setopt_opensocket_callback(CURL *handle, curl_opensocket_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, callback);
}
typedef int (*tb_prereq_callback)(void *userdata, char *primary_ip, char *local_ip, int primary_port, int local_port);
static inline CURLcode tb_easy_setopt_prereq_callback(CURL *handle, tb_prereq_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_PREREQFUNCTION, callback);
}
static inline CURLcode tb_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode tb_easy_getinfo_off(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode tb_easy_getinfo_ptr(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLMcode tb_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}
/// CURLMOPT_SOCKETFUNCTION: libcurl tells which events (CURL_POLL_IN/OUT/INOUT/REMOVE) it wants on socket `s`.
typedef int (*tb_socket_callback)(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp);
static inline CURLMcode tb_multi_setopt_socket_callback(CURLM *handle, tb_socket_callback callback) {
    return curl_multi_setopt(handle, CURLMOPT_SOCKETFUNCTION, callback);
}
/// CURLMOPT_TIMERFUNCTION: libcurl asks for one timer, `timeout_ms` from now (-1 = delete it).
typedef int (*tb_timer_callback)(CURLM *multi, long timeout_ms, void *userp);
static inline CURLMcode tb_multi_setopt_timer_callback(CURLM *handle, tb_timer_callback callback) {
    return curl_multi_setopt(handle, CURLMOPT_TIMERFUNCTION, callback);
}
static inline CURLMcode tb_multi_setopt_ptr(CURLM *handle, CURLMoption option, void *value) {
    return curl_multi_setopt(handle, option, value);
}
/// CURL_SOCKET_TIMEOUT, a macro cast Swift does not import.
static inline curl_socket_t tb_socket_timeout(void) {
    return CURL_SOCKET_TIMEOUT;
}
/// curl_global_init(CURL_GLOBAL_ALL): the flag macro is an expression Swift does not import.
static inline CURLcode tb_global_init_all(void) {
    return curl_global_init(CURL_GLOBAL_ALL);
}
/// Whether this libcurl resolves names asynchronously (threaded resolver or c-ares): CURL_VERSION_ASYNCHDNS.
static inline int tb_has_asynch_dns(void) {
    return (curl_version_info(CURLVERSION_NOW)->features & CURL_VERSION_ASYNCHDNS) != 0;
}
#endif
