using System.Text;

namespace Graph.Engine.Checkpoints;

/// <summary>
/// The keys a <see cref="ProtectedCheckpointer"/> signs and encrypts with: every key it may meet when reading, each
/// under an id, and the id of the one it writes with. Rotating keys is adding a new key, making it current and keeping
/// the old ones for as long as checkpoints sealed with them are read.
/// </summary>
public sealed class CheckpointKeys
{
    /// <summary>The smallest key, in bytes (256 bits).</summary>
    public const int MinimumKeyLength = 32;

    private readonly Dictionary<string, byte[]> keys;

    /// <summary>Creates a key ring.</summary>
    /// <param name="currentKeyId">The id of the key new checkpoints are sealed with; must be one of <paramref name="keys"/>.</param>
    /// <param name="keys">
    /// The keys by id (secret random bytes, at least <see cref="MinimumKeyLength"/> each, e.g. from
    /// <see cref="System.Security.Cryptography.RandomNumberGenerator"/>). Ids are 1 to 64 UTF-8 bytes without ':'. The
    /// bytes are copied.
    /// </param>
    /// <exception cref="ArgumentException">A key id is empty, too long or contains ':', a key is shorter than
    /// <see cref="MinimumKeyLength"/>, or <paramref name="currentKeyId"/> names no key.</exception>
    public CheckpointKeys(string currentKeyId, IReadOnlyDictionary<string, byte[]> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentException.ThrowIfNullOrEmpty(currentKeyId);
        this.keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (id, key) in keys)
        {
            ValidateId(id);
            if (key is null || key.Length < MinimumKeyLength)
            {
                throw new ArgumentException($"Checkpoint key '{id}' has {key?.Length ?? 0} bytes; at least {MinimumKeyLength} are needed.", nameof(keys));
            }

            this.keys.Add(id, [.. key]);
        }

        if (!this.keys.ContainsKey(currentKeyId))
        {
            throw new ArgumentException($"The current key id '{currentKeyId}' names none of the {this.keys.Count} key(s) given.", nameof(currentKeyId));
        }

        CurrentKeyId = currentKeyId;
    }

    /// <summary>The id of the key new checkpoints and pending writes are sealed with.</summary>
    public string CurrentKeyId { get; }

    /// <summary>The ids of every key this ring reads with.</summary>
    public IReadOnlyCollection<string> KeyIds => keys.Keys;

    /// <summary>The key bytes under <paramref name="keyId"/>, or null.</summary>
    internal byte[]? Find(string keyId) => keys.GetValueOrDefault(keyId);

    private static void ValidateId(string id)
    {
        if (string.IsNullOrEmpty(id) || Encoding.UTF8.GetByteCount(id) > 64 || id.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Checkpoint key id '{id}' is not valid: ids are 1 to 64 UTF-8 bytes without ':'.", nameof(keys));
        }
    }
}
