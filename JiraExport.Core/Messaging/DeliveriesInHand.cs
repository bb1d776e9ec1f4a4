namespace JiraExport.Core.Messaging;

/// <summary>The deliveries a consumer is handling, so that stopping can wait until the last one is settled.</summary>
internal sealed class DeliveriesInHand
{
    private readonly Lock _lock = new();
    private int _count;
    private TaskCompletionSource? _empty;

    /// <summary>Counts one more, unless stopping has begun.</summary>
    public bool TryEnter(CancellationToken stopping)
    {
        lock (_lock)
        {
            if (stopping.IsCancellationRequested)
            {
                return false;
            }

            _count++;
            return true;
        }
    }

    public void Exit()
    {
        lock (_lock)
        {
            if (--_count == 0)
            {
                _empty?.TrySetResult();
            }
        }
    }

    /// <summary>Completes when none is in hand; cancelled when <paramref name="cancellationToken"/> fires first.</summary>
    public Task WhenEmptyAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_count == 0)
            {
                return Task.CompletedTask;
            }

            _empty ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _empty.Task.WaitAsync(cancellationToken);
        }
    }
}
