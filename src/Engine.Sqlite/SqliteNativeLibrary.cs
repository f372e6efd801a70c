using System.Reflection;
using System.Runtime.InteropServices;

namespace Graph.Engine.Sqlite;

/// <summary>
/// Makes the native SQLite library loadable from any host. An application finds it through its own build
/// (deps.json); a host that loads <c>Graph.Engine.Sqlite.dll</c> by path (a Polyglot notebook, a plug-in loader)
/// does not, so this also probes <c>runtimes/&lt;rid&gt;/native</c> beside the assembly before the default probing.
/// </summary>
internal static class SqliteNativeLibrary
{
    private const string LibraryName = "e_sqlite3";

    public static void Initialize()
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // The host already set a resolver for the provider: it knows where the library is.
        }

        SQLitePCL.Batteries_V2.Init();
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName)
        {
            return IntPtr.Zero;
        }

        var file = OperatingSystem.IsWindows() ? "e_sqlite3.dll" : OperatingSystem.IsMacOS() ? "libe_sqlite3.dylib" : "libe_sqlite3.so";
        var folder = Path.GetDirectoryName(typeof(SqliteNativeLibrary).Assembly.Location);
        if (!string.IsNullOrEmpty(folder))
        {
            var candidate = Path.Combine(folder, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", file);
            if (!File.Exists(candidate))
            {
                var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
                candidate = Path.Combine(folder, "runtimes", $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}", "native", file);
            }

            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
            {
                return handle;
            }
        }

        // Zero means: fall back to the runtime's default probing (deps.json, application folder).
        return IntPtr.Zero;
    }
}
