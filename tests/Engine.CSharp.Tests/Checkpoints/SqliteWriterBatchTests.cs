using Graph.Engine.Checkpoints;
using Graph.Engine.Sqlite;

namespace Graph.Engine.Tests.Checkpoints;

/// <summary>
/// The SQLite writer's batches: a request queued while a transaction is being written joins it (one commit for a run
/// whose later saves arrive while its first ones are written), unless it asks for a sync that transaction will not make.
/// Each test queues its late requests from inside an earlier request's body, which runs on the writer while the
/// transaction is open: no timing is involved.
/// </summary>
[TestFixture]
public sealed class SqliteWriterBatchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private string directory = null!;
    private SqliteCheckpointer store = null!;

    private SqliteWriter Writer => store.Writer;

    [SetUp]
    public void SetUp()
    {
        directory = Path.Combine(Path.GetTempPath(), $"graph-writer-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        store = SqliteCheckpointer.Open(Path.Combine(directory, "checkpoints.db"));
    }

    [TearDown]
    public async Task TearDown()
    {
        await store.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    [Test]
    public async Task Enqueue_RequestQueuedWhileATransactionIsWritten_SharesItsCommit()
    {
        var commits = Writer.Commits;
        Task<int>? late = null;

        var first = Writer.Enqueue(_ =>
        {
            late = Writer.Enqueue(_ => 2, sync: false, CancellationToken.None);
            return 1;
        }, sync: false, CancellationToken.None);

        Assert.That(await first.WaitAsync(Timeout), Is.EqualTo(1));
        Assert.That(await late!.WaitAsync(Timeout), Is.EqualTo(2));
        Assert.That(Writer.Commits - commits, Is.EqualTo(1));
    }

    [Test]
    public async Task Enqueue_SyncRequestQueuedWhileAnUnsyncedTransactionIsWritten_IsSyncedInATransactionOfItsOwn()
    {
        var (commits, synced) = (Writer.Commits, Writer.SyncedCommits);
        Task<int>? late = null;
        Task<int>? afterIt = null;

        var first = Writer.Enqueue(_ =>
        {
            late = Writer.Enqueue(_ => 2, sync: true, CancellationToken.None);
            afterIt = Writer.Enqueue(_ => 3, sync: false, CancellationToken.None);
            return 1;
        }, sync: false, CancellationToken.None);

        Assert.That(await first.WaitAsync(Timeout), Is.EqualTo(1));
        Assert.That(await late!.WaitAsync(Timeout), Is.EqualTo(2));
        Assert.That(await afterIt!.WaitAsync(Timeout), Is.EqualTo(3));
        Assert.That(Writer.Commits - commits, Is.EqualTo(2), "the unsynced transaction, then the synced one (with the request queued after it)");
        Assert.That(Writer.SyncedCommits - synced, Is.EqualTo(1));
    }

    [Test]
    public async Task Enqueue_UnsyncedRequestQueuedWhileASyncedTransactionIsWritten_IsSyncedWithIt()
    {
        var (commits, synced) = (Writer.Commits, Writer.SyncedCommits);
        Task<int>? late = null;

        var first = Writer.Enqueue(_ =>
        {
            late = Writer.Enqueue(_ => 2, sync: false, CancellationToken.None);
            return 1;
        }, sync: true, CancellationToken.None);

        Assert.That(await first.WaitAsync(Timeout), Is.EqualTo(1));
        Assert.That(await late!.WaitAsync(Timeout), Is.EqualTo(2));
        Assert.That(Writer.Commits - commits, Is.EqualTo(1));
        Assert.That(Writer.SyncedCommits - synced, Is.EqualTo(1));
    }

    [Test]
    public async Task Enqueue_LateRequestThatFails_FailsAloneAndTheOthersCommit()
    {
        var failing = (Task<int>?)null;
        var fine = (Task<int>?)null;
        var first = Writer.Enqueue(_ =>
        {
            // Applied twice (together, then each under its own savepoint): the late requests are queued once.
            if (failing is null)
            {
                failing = Writer.Enqueue<int>(_ => throw new CheckpointStoreException("late request refused"), sync: false, CancellationToken.None);
                fine = Writer.Enqueue(_ => 3, sync: false, CancellationToken.None);
            }

            return 1;
        }, sync: false, CancellationToken.None);

        Assert.That(await first.WaitAsync(Timeout), Is.EqualTo(1));
        Assert.That(await fine!.WaitAsync(Timeout), Is.EqualTo(3));
        Assert.That(async () => await failing!.WaitAsync(Timeout), Throws.InstanceOf<CheckpointStoreException>().With.Message.EqualTo("late request refused"));
    }

    [Test]
    public async Task Enqueue_LateRequestCancelledBeforeItIsTaken_IsCancelledAndNotApplied()
    {
        using var cancellation = new CancellationTokenSource();
        var applied = false;
        Task<int>? late = null;

        var first = Writer.Enqueue(_ =>
        {
            late = Writer.Enqueue(_ =>
            {
                applied = true;
                return 2;
            }, sync: false, cancellation.Token);
            cancellation.Cancel();
            return 1;
        }, sync: false, CancellationToken.None);

        Assert.That(await first.WaitAsync(Timeout), Is.EqualTo(1));
        Assert.That(async () => await late!.WaitAsync(Timeout), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(applied, Is.False);
    }
}
