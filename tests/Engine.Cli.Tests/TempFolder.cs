namespace Graph.Cli.Tests;

/// <summary>A fresh folder under the temp path, deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"graph-cli-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Copies every file of <paramref name="source"/> (a database and any side files) into this folder.</summary>
    public void CopyFrom(TempFolder source)
    {
        foreach (var file in Directory.GetFiles(source.Path))
        {
            System.IO.File.Copy(file, File(System.IO.Path.GetFileName(file)));
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
