namespace Graph.Engine.Supervision;

/// <summary>OTP's restart intensity: a sliding window of restart timestamps over all children (exact, on the system's clock).</summary>
internal sealed class RestartWindow(int maxRestarts, TimeSpan period, TimeProvider time)
{
    private readonly Queue<long> _restarts = new();

    /// <summary>Records a restart now; false when that makes more than the maximum within the period.</summary>
    public bool TryRecord()
    {
        var now = time.GetTimestamp();
        while (_restarts.Count > 0 && time.GetElapsedTime(_restarts.Peek(), now) >= period)
        {
            _restarts.Dequeue();
        }

        _restarts.Enqueue(now);
        return _restarts.Count <= maxRestarts;
    }
}
