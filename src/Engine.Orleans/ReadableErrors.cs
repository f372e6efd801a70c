using Orleans.Serialization;

namespace Graph.Engine.Orleans;

/// <summary>
/// Lets every exception a grain call ends with travel to the client: Orleans serializes only exceptions from its own
/// and the framework's namespaces, and answers any other (a store's <c>Npgsql.PostgresException</c>, the engine's own,
/// a node's) with a <c>CodecNotFoundException</c> that loses the message.
/// </summary>
internal static class ReadableErrors
{
    /// <summary>
    /// Serializes any exception by its type name, message, stack trace, inner exceptions and data; a client that cannot
    /// load the type gets Orleans' <c>UnavailableExceptionFallbackException</c> with the same message.
    /// </summary>
    public static void Configure(ExceptionSerializationOptions options)
    {
        options.SupportedExceptionTypeFilter = static type => typeof(Exception).IsAssignableFrom(type);
    }
}
