using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.WhatIf;

/// <summary>
/// What-if (issue 13 item 5): a recorded page load's dependency graph replayed in FetchAgent's connection model under
/// other conditions (strategy, round trip, bandwidth, connections per host), returning the predicted waterfall and
/// metrics as a document marked <see cref="PageLoadDocument.Prediction"/>. See <see cref="ReplaySimulation"/> for the rules.
/// </summary>
public static class PageReplay
{
    /// <exception cref="ArgumentException">The conditions are out of range (<see cref="WhatIfConditions.Validate"/>).</exception>
    public static PageLoadDocument Predict(PageLoadDocument recorded, WhatIfConditions conditions)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(conditions);
        if (conditions.Validate().FirstOrDefault() is { Field: not null } problem)
            throw new ArgumentException($"{problem.Field} {problem.Problem}", nameof(conditions));
        return new ReplaySimulation(recorded, conditions).Run();
    }
}
