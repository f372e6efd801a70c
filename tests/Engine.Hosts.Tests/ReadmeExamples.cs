using System.Text.RegularExpressions;

namespace Graph.Engine.Hosts.Tests;

/// <summary>Code blocks of the repository's Markdown files, read at test time so the tests follow the docs.</summary>
internal static partial class ReadmeExamples
{
    /// <summary>The first ```<paramref name="language"/> block of README.md: the example a new user pastes.</summary>
    public static string First(string language) => FirstIn("README.md", language);

    /// <summary>The first ```<paramref name="language"/> block of the Markdown file at <paramref name="relativePath"/>.</summary>
    public static string FirstIn(string relativePath, string language)
    {
        var text = File.ReadAllText(RepoLayout.Path(relativePath.Split('/'))).ReplaceLineEndings("\n");
        var block = CodeBlock().Matches(text).FirstOrDefault(m => m.Groups[1].Value == language)
            ?? throw new InvalidOperationException($"{relativePath} has no ```{language} block");
        return block.Groups[2].Value;
    }

    [GeneratedRegex(@"^```(\w+)\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
