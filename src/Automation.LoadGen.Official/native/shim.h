/* The C ABI between Automation.LoadGen.Official (C#) and the official MLPerf LoadGen (C++).
 *
 * The C# side passes plain structs and C function pointers; this library turns them into LoadGen's
 * SystemUnderTest/QuerySampleLibrary and TestSettings/LogSettings, runs mlperf::StartTest unaltered and forwards
 * completions to mlperf::QuerySamplesComplete. Bump SHIM_ABI_VERSION (and the version in the
 * get-mlperf-inference-loadgen meta) whenever a struct or signature here changes. */
#ifndef AUTOMATION_LOADGEN_SHIM_H_
#define AUTOMATION_LOADGEN_SHIM_H_

#include <stddef.h>
#include <stdint.h>

#define SHIM_ABI_VERSION 1

#if defined(_WIN32)
#define SHIM_EXPORT __declspec(dllexport)
#else
#define SHIM_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* mlperf::QuerySample */
typedef struct shim_query_sample {
  uintptr_t id;
  size_t index;
} shim_query_sample;

/* mlperf::QuerySampleResponse */
typedef struct shim_response {
  uintptr_t id;
  uintptr_t data;
  size_t size;
  int64_t n_tokens;
} shim_response;

/* mlperf::TestSettings, field for field; enums as LoadGen numbers them, booleans as 0/1. 8-byte fields come
 * before 4-byte ones so that C and C# lay the struct out the same way. */
typedef struct shim_test_settings {
  uint32_t struct_size; /* sizeof(shim_test_settings), checked */
  int32_t scenario;     /* SingleStream 0, MultiStream 1, Server 2, Offline 3 */
  int32_t mode;         /* SubmissionRun 0, AccuracyOnly 1, PerformanceOnly 2, FindPeakPerformance 3 */
  int32_t server_find_peak_qps_decimals_of_precision;
  double single_stream_expected_latency_ns;
  double single_stream_target_latency_percentile;
  double multi_stream_expected_latency_ns;
  double multi_stream_target_latency_percentile;
  uint64_t multi_stream_samples_per_query;
  double server_target_qps;
  uint64_t server_target_latency_ns;
  double server_target_latency_percentile;
  double server_find_peak_qps_boundary_step_size;
  uint64_t server_max_async_queries;
  uint64_t server_num_issue_query_threads;
  double offline_expected_qps;
  uint64_t min_duration_ms;
  uint64_t max_duration_ms;
  uint64_t min_query_count;
  uint64_t max_query_count;
  uint64_t qsl_rng_seed;
  uint64_t sample_index_rng_seed;
  uint64_t schedule_rng_seed;
  uint64_t accuracy_log_rng_seed;
  double accuracy_log_probability;
  uint64_t accuracy_log_sampling_target;
  uint64_t test05_qsl_rng_seed;
  uint64_t test05_sample_index_rng_seed;
  uint64_t test05_schedule_rng_seed;
  uint64_t performance_issue_same_index;
  uint64_t performance_sample_count_override;
  uint64_t accuracy_sample_count_override;
  uint64_t server_ttft_latency;
  uint64_t server_tpot_latency;
  uint64_t token_latency_scaling_factor;
  int32_t server_coalesce_queries;
  int32_t sample_concatenate_permutation;
  int32_t test05;
  int32_t print_timestamps;
  int32_t performance_issue_unique;
  int32_t performance_issue_same;
  int32_t use_token_latencies;
  int32_t infer_token_latencies;
} shim_test_settings;

/* mlperf::LogSettings (log_mode stays AsyncPoll, LoadGen's only mode). Strings are UTF-8. */
typedef struct shim_log_settings {
  const char* outdir;
  const char* prefix;
  const char* suffix;
  int32_t prefix_with_datetime;
  int32_t copy_detail_to_stdout;
  int32_t copy_summary_to_stdout;
  int32_t enable_trace;
} shim_log_settings;

typedef void (*shim_issue_query_fn)(void* context, const shim_query_sample* samples, size_t count);
typedef void (*shim_flush_queries_fn)(void* context);
typedef void (*shim_sample_indices_fn)(void* context, const size_t* indices, size_t count);

/* The SUT and the QSL as callbacks; context is passed back to each. */
typedef struct shim_callbacks {
  void* context;
  const char* sut_name;
  const char* qsl_name;
  uint64_t total_sample_count;
  uint64_t performance_sample_count;
  shim_issue_query_fn issue_query;
  shim_flush_queries_fn flush_queries;
  shim_sample_indices_fn load_samples;
  shim_sample_indices_fn unload_samples;
} shim_callbacks;

SHIM_EXPORT int32_t shim_abi_version(void);

/* LoadGen's version string (VERSION.txt), e.g. "6.0.17". */
SHIM_EXPORT const char* shim_loadgen_version(void);

/* Runs mlperf::StartTest; blocks until the test ends. audit_config_path may be NULL (no audit config). Returns 0,
 * or non-zero with a message in error (NUL-terminated, truncated to error_size). */
SHIM_EXPORT int32_t shim_start_test(const shim_callbacks* callbacks, const shim_test_settings* settings,
                                    const shim_log_settings* log_settings, const char* audit_config_path,
                                    char* error, size_t error_size);

/* mlperf::QuerySamplesComplete; thread-safe, callable from any thread during a test. */
SHIM_EXPORT void shim_query_samples_complete(const shim_response* responses, size_t count);

#ifdef __cplusplus
}
#endif

#endif /* AUTOMATION_LOADGEN_SHIM_H_ */
