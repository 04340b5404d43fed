using Automation.LoadGen.Results;
using Automation.LoadGen.Settings;

namespace Automation.LoadGen;

/// <summary>Something that runs an MLPerf LoadGen test: this library's native engine, or a bridge to the C++ one.</summary>
public interface ILoadGenEngine
{
    string EngineName { get; }

    /// <summary>Runs the test to the end (LoadGen's StartTest), writes the logs and returns the figures.</summary>
    LoadGenResult Run(ISystemUnderTest sut, IQuerySampleLibrary qsl, TestSettings settings, LogSettings log);
}
