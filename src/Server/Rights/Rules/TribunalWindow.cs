using NodaTime;

namespace MhaRights.Server.Rights.Rules;

/// <summary>
/// One period in which the patient may apply to the tribunal. <see cref="Closes"/> is exclusive: the first instant
/// after the last day of the window.
/// </summary>
public sealed record TribunalWindow(Instant Opens, Instant Closes, string Label);
