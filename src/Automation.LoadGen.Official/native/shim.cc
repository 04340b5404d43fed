// C ABI over the official MLPerf LoadGen: see shim.h. LoadGen itself is linked unaltered.
#include "shim.h"

#include <cstddef>
#include <cstring>
#include <exception>
#include <string>
#include <type_traits>
#include <vector>

#include "loadgen.h"
#include "query_sample.h"
#include "query_sample_library.h"
#include "system_under_test.h"
#include "test_settings.h"
#include "version.h"

namespace {

// Samples and responses cross the boundary without copies, so their layouts must match LoadGen's.
static_assert(std::is_standard_layout<mlperf::QuerySample>::value, "QuerySample layout");
static_assert(sizeof(shim_query_sample) == sizeof(mlperf::QuerySample), "QuerySample size");
static_assert(offsetof(shim_query_sample, index) == offsetof(mlperf::QuerySample, index), "QuerySample.index");
static_assert(std::is_standard_layout<mlperf::QuerySampleResponse>::value, "QuerySampleResponse layout");
static_assert(sizeof(shim_response) == sizeof(mlperf::QuerySampleResponse), "QuerySampleResponse size");
static_assert(offsetof(shim_response, data) == offsetof(mlperf::QuerySampleResponse, data), "response.data");
static_assert(offsetof(shim_response, size) == offsetof(mlperf::QuerySampleResponse, size), "response.size");
static_assert(offsetof(shim_response, n_tokens) == offsetof(mlperf::QuerySampleResponse, n_tokens), "response.n_tokens");
static_assert(sizeof(size_t) == sizeof(mlperf::QuerySampleIndex), "QuerySampleIndex");

class CallbackSut : public mlperf::SystemUnderTest {
 public:
  explicit CallbackSut(const shim_callbacks& cb) : cb_(cb), name_(cb.sut_name ? cb.sut_name : "") {}
  const std::string& Name() override { return name_; }
  void IssueQuery(const std::vector<mlperf::QuerySample>& samples) override {
    cb_.issue_query(cb_.context, reinterpret_cast<const shim_query_sample*>(samples.data()), samples.size());
  }
  void FlushQueries() override { cb_.flush_queries(cb_.context); }

 private:
  shim_callbacks cb_;
  std::string name_;
};

class CallbackQsl : public mlperf::QuerySampleLibrary {
 public:
  explicit CallbackQsl(const shim_callbacks& cb) : cb_(cb), name_(cb.qsl_name ? cb.qsl_name : "") {}
  const std::string& Name() override { return name_; }
  size_t TotalSampleCount() override { return static_cast<size_t>(cb_.total_sample_count); }
  size_t PerformanceSampleCount() override { return static_cast<size_t>(cb_.performance_sample_count); }
  void LoadSamplesToRam(const std::vector<mlperf::QuerySampleIndex>& samples) override {
    cb_.load_samples(cb_.context, samples.data(), samples.size());
  }
  void UnloadSamplesFromRam(const std::vector<mlperf::QuerySampleIndex>& samples) override {
    cb_.unload_samples(cb_.context, samples.data(), samples.size());
  }

 private:
  shim_callbacks cb_;
  std::string name_;
};

mlperf::TestSettings ToTestSettings(const shim_test_settings& s) {
  mlperf::TestSettings t;
  t.scenario = static_cast<mlperf::TestScenario>(s.scenario);
  t.mode = static_cast<mlperf::TestMode>(s.mode);
  t.single_stream_expected_latency_ns = s.single_stream_expected_latency_ns;
  t.single_stream_target_latency_percentile = s.single_stream_target_latency_percentile;
  t.multi_stream_expected_latency_ns = s.multi_stream_expected_latency_ns;
  t.multi_stream_target_latency_percentile = s.multi_stream_target_latency_percentile;
  t.multi_stream_samples_per_query = s.multi_stream_samples_per_query;
  t.server_target_qps = s.server_target_qps;
  t.server_target_latency_ns = s.server_target_latency_ns;
  t.server_target_latency_percentile = s.server_target_latency_percentile;
  t.server_coalesce_queries = s.server_coalesce_queries != 0;
  t.server_find_peak_qps_decimals_of_precision = s.server_find_peak_qps_decimals_of_precision;
  t.server_find_peak_qps_boundary_step_size = s.server_find_peak_qps_boundary_step_size;
  t.server_max_async_queries = s.server_max_async_queries;
  t.server_num_issue_query_threads = s.server_num_issue_query_threads;
  t.offline_expected_qps = s.offline_expected_qps;
  t.sample_concatenate_permutation = s.sample_concatenate_permutation != 0;
  t.min_duration_ms = s.min_duration_ms;
  t.max_duration_ms = s.max_duration_ms;
  t.min_query_count = s.min_query_count;
  t.max_query_count = s.max_query_count;
  t.qsl_rng_seed = s.qsl_rng_seed;
  t.sample_index_rng_seed = s.sample_index_rng_seed;
  t.schedule_rng_seed = s.schedule_rng_seed;
  t.accuracy_log_rng_seed = s.accuracy_log_rng_seed;
  t.accuracy_log_probability = s.accuracy_log_probability;
  t.accuracy_log_sampling_target = s.accuracy_log_sampling_target;
  t.test05 = s.test05 != 0;
  t.test05_qsl_rng_seed = s.test05_qsl_rng_seed;
  t.test05_sample_index_rng_seed = s.test05_sample_index_rng_seed;
  t.test05_schedule_rng_seed = s.test05_schedule_rng_seed;
  t.print_timestamps = s.print_timestamps != 0;
  t.performance_issue_unique = s.performance_issue_unique != 0;
  t.performance_issue_same = s.performance_issue_same != 0;
  t.performance_issue_same_index = s.performance_issue_same_index;
  t.performance_sample_count_override = s.performance_sample_count_override;
  t.accuracy_sample_count_override = s.accuracy_sample_count_override;
  t.use_token_latencies = s.use_token_latencies != 0;
  t.server_ttft_latency = s.server_ttft_latency;
  t.server_tpot_latency = s.server_tpot_latency;
  t.infer_token_latencies = s.infer_token_latencies != 0;
  t.token_latency_scaling_factor = s.token_latency_scaling_factor;
  return t;
}

mlperf::LogSettings ToLogSettings(const shim_log_settings& s) {
  mlperf::LogSettings l;
  l.log_output.outdir = s.outdir ? s.outdir : ".";
  l.log_output.prefix = s.prefix ? s.prefix : "mlperf_log_";
  l.log_output.suffix = s.suffix ? s.suffix : "";
  l.log_output.prefix_with_datetime = s.prefix_with_datetime != 0;
  l.log_output.copy_detail_to_stdout = s.copy_detail_to_stdout != 0;
  l.log_output.copy_summary_to_stdout = s.copy_summary_to_stdout != 0;
  l.enable_trace = s.enable_trace != 0;
  return l;
}

int32_t Fail(char* error, size_t error_size, const std::string& message) {
  if (error != nullptr && error_size > 0) {
    std::strncpy(error, message.c_str(), error_size - 1);
    error[error_size - 1] = '\0';
  }
  return 1;
}

}  // namespace

extern "C" {

SHIM_EXPORT int32_t shim_abi_version(void) { return SHIM_ABI_VERSION; }

SHIM_EXPORT const char* shim_loadgen_version(void) { return mlperf::LoadgenVersion().c_str(); }

SHIM_EXPORT int32_t shim_start_test(const shim_callbacks* callbacks, const shim_test_settings* settings,
                                    const shim_log_settings* log_settings, const char* audit_config_path,
                                    char* error, size_t error_size) {
  if (callbacks == nullptr || settings == nullptr || log_settings == nullptr)
    return Fail(error, error_size, "shim_start_test: a required argument is NULL");
  if (settings->struct_size != sizeof(shim_test_settings))
    return Fail(error, error_size, "shim_start_test: settings struct is " + std::to_string(settings->struct_size) +
                                       " bytes, this shim expects " + std::to_string(sizeof(shim_test_settings)) +
                                       " (rebuild the shim or the C# side)");
  if (!callbacks->issue_query || !callbacks->flush_queries || !callbacks->load_samples || !callbacks->unload_samples)
    return Fail(error, error_size, "shim_start_test: a callback is NULL");
  try {
    CallbackSut sut(*callbacks);
    CallbackQsl qsl(*callbacks);
    // An empty name never exists on disk, so no audit.config is picked up implicitly from the working directory.
    mlperf::StartTest(&sut, &qsl, ToTestSettings(*settings), ToLogSettings(*log_settings),
                      audit_config_path ? audit_config_path : "");
    return 0;
  } catch (const std::exception& e) {
    return Fail(error, error_size, std::string("LoadGen threw: ") + e.what());
  } catch (...) {
    return Fail(error, error_size, "LoadGen threw an unknown exception");
  }
}

SHIM_EXPORT void shim_query_samples_complete(const shim_response* responses, size_t count) {
  // LoadGen takes a non-const pointer but only reads the responses.
  mlperf::QuerySamplesComplete(reinterpret_cast<mlperf::QuerySampleResponse*>(const_cast<shim_response*>(responses)),
                               count);
}

}  // extern "C"
