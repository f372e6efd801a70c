using System.Collections;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Graph.Cli.Output;

/// <summary>
/// A value an event carries (a custom payload, an interrupt's value) as one readable line: strings as they are,
/// scalars in the invariant culture, types with their own <c>ToString()</c> through it, records, objects and
/// collections as JSON; at most <see cref="MaxLength"/> characters.
/// </summary>
internal static class ValueDisplay
{
    public const int MaxLength = 200;

    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        ReferenceHandler = ReferenceHandler.IgnoreCycles,
    };

    public static string Of(object? value)
    {
        var text = Render(value);
        var line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= MaxLength ? line : string.Concat(line.AsSpan(0, MaxLength - 1), "…");
    }

    private static string Render(object? value)
    {
        switch (value)
        {
            case null:
                return "null";
            case string s:
                return s;
            case IFormattable f:
                return f.ToString(null, CultureInfo.InvariantCulture);
            case bool or char:
                return value.ToString()!;
        }

        var type = value.GetType();
        var toString = type.GetMethod(nameof(ToString), Type.EmptyTypes)?.DeclaringType;
        var isRecord = type.GetProperty("EqualityContract", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic) is not null;
        if (value is not IEnumerable && !isRecord && toString != typeof(object) && toString != typeof(ValueType))
        {
            return value.ToString() ?? string.Empty;
        }

        try
        {
            return JsonSerializer.Serialize(value, type, Json);
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            return value.ToString() ?? type.Name;
        }
    }
}
