namespace Automation.LoadGen.Official;

/// <summary>The official LoadGen could not be loaded or run, or the SUT/QSL threw while it ran.</summary>
public sealed class OfficialLoadGenException(string message, Exception? inner = null) : Exception(message, inner);
