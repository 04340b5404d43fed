using Automation.Core.Actions;
using Spectre.Console;

namespace Automation.Cli.Actions;

/// <summary>Renders <see cref="IDownloadProgress"/> as a Spectre.Console progress bar on stderr (stdout stays clean for -j).</summary>
internal sealed class ConsoleDownloadProgress(ProgressTask task) : IDownloadProgress
{
    public static async Task<T> RunAsync<T>(string label, Func<IDownloadProgress, Task<T>> work)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(label), autoStart: false);
                task.IsIndeterminate = true;
                return await work(new ConsoleDownloadProgress(task));
            });
    }

    public void Started(Uri source, long bytesSoFar, long? totalBytes)
    {
        task.StartTask();
        Advanced(bytesSoFar, totalBytes);
    }

    public void Advanced(long bytesSoFar, long? totalBytes)
    {
        if (totalBytes is { } total && total > 0)
        {
            task.IsIndeterminate = false;
            task.MaxValue = total;
        }
        task.Value = bytesSoFar;
    }
}
