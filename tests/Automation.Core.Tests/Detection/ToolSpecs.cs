namespace Automation.Core.Tests.Detection;

/// <summary>The detect blocks the get-* scripts are meant to carry (docs/detection.md shows the same ones).</summary>
public static class ToolSpecs
{
    public const string Python3 = """
    {
      "executables": ["python3", "python3.*", "python"],
      "exclude": ["*-config", "*-dbg"],
      "windows_executables": ["python.exe", "py.exe"],
      "path_env": ["CM_PYTHON_BIN_WITH_PATH"],
      "all_matches": true,
      "version_regex": "Python\\s+(\\d+\\.\\d+[\\w.+-]*)",
      "env": {
        "CM_PYTHON_BIN_WITH_PATH": "{{path}}", "CM_PYTHON_BIN_PATH": "{{dir}}", "CM_PYTHON_BIN": "{{name}}",
        "CM_PYTHON_VERSION": "{{version}}", "CM_PYTHON_MAJOR_VERSION": "{{version_major}}", "CM_PYTHON_MINOR_VERSION": "{{version_minor}}",
        "+PATH": "{{dir}}"
      },
      "not_found": "Install Python 3 (apt-get install python3) or point CM_PYTHON_BIN_WITH_PATH at it."
    }
    """;

    public const string Git = """
    {
      "executables": ["git"],
      "path_env": ["CM_GIT_BIN_WITH_PATH"],
      "version_regex": "git version\\s+(\\d+\\.\\d+\\.\\d+)",
      "env": { "CM_GIT_BIN_WITH_PATH": "{{path}}", "CM_GIT_VERSION": "{{version}}" }
    }
    """;

    public const string CMake = """
    {
      "executables": ["cmake"],
      "path_env": ["CM_CMAKE_BIN_WITH_PATH"],
      "version_regex": "cmake version\\s+(\\S+)",
      "env": { "CM_CMAKE_BIN_WITH_PATH": "{{path}}", "CM_CMAKE_VERSION": "{{version}}", "+PATH": "{{dir}}" }
    }
    """;

    public const string Gcc = """
    {
      "executables": ["gcc", "gcc-[0-9]*"],
      "path_env": ["CM_GCC_BIN_WITH_PATH"],
      "version_regex": "^gcc\\S* \\(.*\\)\\s+(\\d+\\.\\d+(?:\\.\\d+)?)",
      "env": {
        "CM_GCC_BIN_WITH_PATH": "{{path}}", "CM_C_COMPILER_WITH_PATH": "{{path}}", "CM_COMPILER_FAMILY": "GCC",
        "CM_COMPILER_VERSION": "{{version}}", "CM_GCC_INSTALLED_PATH": "{{dir}}"
      }
    }
    """;

    public const string Clang = """
    {
      "executables": ["clang", "clang-[0-9]*"],
      "path_env": ["CM_LLVM_CLANG_BIN_WITH_PATH"],
      "all_matches": true,
      "version_regex": "clang version\\s+(\\d+\\.\\d+\\.\\d+\\S*)",
      "env": { "CM_LLVM_CLANG_BIN_WITH_PATH": "{{path}}", "CM_COMPILER_FAMILY": "LLVM", "CM_COMPILER_VERSION": "{{version}}" }
    }
    """;

    public const string Dotnet = """
    {
      "executables": ["dotnet"],
      "home_env": { "DOTNET_ROOT": "" },
      "search_paths": ["/usr/share/dotnet", "/usr/lib/dotnet"],
      "version_regex": "^(\\d+\\.\\d+\\.\\d+\\S*)",
      "env": { "CM_DOTNET_BIN_WITH_PATH": "{{path}}", "CM_DOTNET_SDK_VERSION": "{{version}}" }
    }
    """;

    public const string Nvcc = """
    {
      "executables": ["nvcc"],
      "path_env": ["CM_NVCC_BIN_WITH_PATH"],
      "home_env": { "CUDA_HOME": "bin", "CUDA_PATH": "bin" },
      "search_paths": ["/usr/local/cuda/bin"],
      "version_regex": "release\\s+(?<release>\\d+\\.\\d+),\\s+V(?<version>\\d+\\.\\d+\\.\\d+)",
      "env": {
        "CM_NVCC_BIN_WITH_PATH": "{{path}}", "CM_CUDA_INSTALLED_PATH": "{{prefix}}", "CM_CUDA_VERSION": "{{release}}",
        "CM_CUDA_VERSION_STRING": "cu{{ release | remove: '.' }}", "+PATH": "{{dir}}", "+LD_LIBRARY_PATH": "{{prefix}}/lib64"
      },
      "not_found": "Install the CUDA toolkit or set CUDA_HOME to its root."
    }
    """;

    public const string NvidiaSmi = """
    {
      "executables": ["nvidia-smi"],
      "search_paths": ["/usr/lib/wsl/lib"],
      "version_args": ["--query-gpu=name,memory.total,compute_cap,driver_version", "--format=csv,noheader"],
      "parse": "csv",
      "columns": ["name", "memory_total", "compute_cap", "driver_version"],
      "version_column": "driver_version",
      "env": { "CM_NVIDIA_SMI_BIN_WITH_PATH": "{{path}}", "CM_CUDA_NUM_DEVICES": "{{count}}", "CM_NVIDIA_DRIVER_VERSION": "{{version}}" },
      "row_env": {
        "CM_CUDA_DEVICE_{{index}}_NAME": "{{row.name}}",
        "CM_CUDA_DEVICE_{{index}}_MEMORY_TOTAL": "{{row.memory_total}}",
        "CM_CUDA_DEVICE_{{index}}_COMPUTE_CAP": "{{row.compute_cap}}"
      },
      "not_found": "No working nvidia-smi: install the NVIDIA driver, or run without a GPU (--device=cpu)."
    }
    """;
}
