using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace FetchAgent.Tests.Storage;

/// <summary>
/// A real, small tmpfs mounted for one test (the tests run as root, in CI too): a disk that fills up for real, and
/// that can be remounted read-only. Mounting that is not permitted fails the test and says so; it never skips.
/// </summary>
internal sealed class Tmpfs : IAsyncDisposable
{
    private Tmpfs(string folder) => Folder = folder;

    public string Folder { get; }

    public static async Task<Tmpfs> MountAsync(string size)
    {
        var folder = Directory.CreateTempSubdirectory("fetchagent-tmpfs-").FullName;
        var (exit, output) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={size},mode=0755", "tmpfs", folder);
        Assert.True(exit == 0, $"these tests need to mount a tmpfs (they run as root in CI; run ./test.sh as root or with CAP_SYS_ADMIN): mount exited {exit}: {output}");
        return new Tmpfs(folder);
    }

    public async Task RemountReadOnlyAsync()
    {
        var (exit, output) = await RunAsync("mount", "-o", "remount,ro", Folder);
        Assert.True(exit == 0, $"remount,ro {Folder} exited {exit}: {output}");
    }

    /// <summary>Writes a filler file until the disk refuses a byte more; returns its path.</summary>
    public string Fill()
    {
        var path = Path.Combine(Folder, "filler");
        var block = new byte[4096];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        try
        {
            while (true)
                file.Write(block);
        }
        catch (IOException)
        {
            // ENOSPC: full.
        }

        return path;
    }

    public static async Task<(int Exit, string Output)> RunAsync(string command, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }

    public async ValueTask DisposeAsync()
    {
        // Pooled connections hold the file open; an open file keeps the mount busy.
        SqliteConnection.ClearAllPools();
        var (exit, _) = await RunAsync("umount", Folder);
        if (exit != 0)
            await RunAsync("umount", "-l", Folder);
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
