using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Graph.Engine.Graphs;

/// <summary>
/// Renders states, updates, payloads and interrupt values for the <c>ToString()</c> of events and results: their
/// contents, never a type name. Scalars as themselves (invariant culture); types with their own <c>ToString()</c>
/// through it; records, classes and collections as one-line JSON (falling back to <c>ToString()</c> where the
/// serializer cannot write the value). At most <see cref="MaxLength"/> characters, cut with an ellipsis.
/// </summary>
internal static class ValueText
{
    /// <summary>The longest rendering of one value.</summary>
    public const int MaxLength = 200;

    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        ReferenceHandler = ReferenceHandler.IgnoreCycles,
        MaxDepth = 32,
    };

    /// <summary>The value's contents, at most <see cref="MaxLength"/> characters.</summary>
    public static string Format(object? value)
    {
        var text = Render(value);
        return text.Length <= MaxLength ? text : string.Concat(text.AsSpan(0, MaxLength - 1), "…");
    }

    /// <summary>"[a, b]" for a list of names.</summary>
    public static string List(IEnumerable<string> items) => Format("[" + string.Join(", ", items) + "]");

    /// <summary>Appends ", Name = value" with the value formatted.</summary>
    public static StringBuilder Member(this StringBuilder builder, string name, object? value, bool first = false) =>
        builder.Append(first ? string.Empty : ", ").Append(name).Append(" = ").Append(Format(value));

    private static string Render(object? value)
    {
        switch (value)
        {
            case null:
                return "null";
            case string s:
                return s;
            case Exception e:
                return $"{e.GetType().Name}: {e.Message}";
            case IFormattable f:
                return f.ToString(null, CultureInfo.InvariantCulture);
            case bool or char:
                return value.ToString()!;
        }

        var type = value.GetType();
        if (value is not IEnumerable && HasOwnToString(type))
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

    /// <summary>Whether the type overrides <c>ToString()</c> itself; a record's generated one does not count (it prints nested collections as type names).</summary>
    private static bool HasOwnToString(Type type)
    {
        var method = type.GetMethod(nameof(ToString), Type.EmptyTypes);
        if (method is null || method.DeclaringType == typeof(object) || method.DeclaringType == typeof(ValueType))
        {
            return false;
        }

        var isRecord = type.GetProperty("EqualityContract", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic) is not null;
        return !isRecord;
    }
}
