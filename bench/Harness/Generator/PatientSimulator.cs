using System.Globalization;
using MhaRights.Server.Adjustments;
using MhaRights.Server.Adjustments.CodeTables;
using MhaRights.Server.Audit;
using MhaRights.Server.Common;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Patients;
using MhaRights.Server.Rights;
using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Rights.Rules;
using MhaRights.Server.Security;
using MhaRights.Server.Workflow;
using NodaTime;

namespace MhaRights.Bench.Generator;

/// <summary>Everything generated for one patient, in write order; audit events already sequenced and chained.</summary>
internal sealed class PatientBatch
{
    public required Patient Patient { get; init; }

    public List<LegalStatusEpisode> Episodes { get; } = [];

    public List<RightsDuty> Duties { get; } = [];

    public List<ExplanationAttempt> Attempts { get; } = [];

    public List<ScheduledTrigger> Triggers { get; } = [];

    public AdjustmentRecord? AdjustmentRecord { get; set; }

    public List<AdjustmentItem> AdjustmentItems { get; } = [];

    public List<AuditEvent> Audit { get; } = [];

    public int RowCount => 1 + Episodes.Count + Duties.Count + Attempts.Count + Triggers.Count + (AdjustmentRecord is null ? 0 : 1) + AdjustmentItems.Count + Audit.Count;
}

/// <summary>
/// Plays one patient's history through the service's own rules and writes down what the service would have stored.
/// The rules are not copied: applicability comes from <see cref="DutyRules"/> and the provision rows of
/// <see cref="RightsRuleBook"/>, SLAs and intervals from <see cref="TrustPolicy"/>, expiry, renewal, tribunal windows,
/// automatic references and the Part 4 point from <see cref="LegalCalendar"/>, hashes from <see cref="AuditLog"/>.
/// What is copied is the control flow of LegalStatusLifecycle, RightsLifecycle.ApplyLegalStatusChangeAsync,
/// ExplanationRecorder and the DeadlineSweeper (kept in the same order, with the same audit actions, states, triggers
/// and version bumps), because running the real EF code path is ~1,000x too slow for a million episodes.
/// Not modelled (rare in practice, and no benchmark reads them): transfers between hospitals, corrected or voided
/// attempts, duties marked not applicable, adjustment sharing with the national service.
/// </summary>
internal sealed class PatientSimulator
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    private static readonly LegalCalendar Calendar = LegalCalendar.EnglandAndWales;
    private static readonly CallerIdentity Sweeper = CallerIdentity.System;

    // Mix of the first provision of an admission: roughly the NHS Digital MHA statistics (s2 the most common
    // detention, s136 uses a large share of short sections, a few percent forensic).
    private static readonly (Provision Value, double Weight)[] FirstProvisions =
    [
        (Provision.Section136, 15), (Provision.Section135, 1.5), (Provision.Section5_2, 7), (Provision.Section5_4, 1.5), (Provision.Section4, 1),
        (Provision.Section2, 41), (Provision.Section3, 20), (Provision.Section37, 2.5), (Provision.Section37_41, 1.5), (Provision.Section35, 0.6),
        (Provision.Section36, 0.2), (Provision.Section38, 0.6), (Provision.Section47, 0.4), (Provision.Section47_49, 0.8), (Provision.Section48_49, 0.8),
        (Provision.Section45A, 0.2), (Provision.Guardianship7, 0.6), (Provision.CriminalProcedureInsanity, 0.1), (Provision.OtherActs, 0.1),
    ];

    private static readonly (string? Value, double Weight)[] Ethnicities =
    [
        ("A", 55), ("B", 1.5), ("C", 6), ("D", 1.5), ("E", 0.8), ("F", 0.7), ("G", 1.2), ("H", 2.5), ("J", 2.5), ("K", 1),
        ("L", 2), ("M", 3.5), ("N", 5), ("P", 2), ("R", 0.5), ("S", 3), ("Z", 4), ("99", 3), (null, 4),
    ];

    private static readonly (string Value, double Weight)[] Languages = [("en", 91), ("pl", 2), ("ur", 1.5), ("pa", 1), ("ro", 1), ("ar", 1), ("so", 1), ("bfi", 0.5), ("pt", 1)];

    private static readonly string[] GivenNames = ["Alex", "Sam", "Jo", "Chris", "Jamie", "Priya", "Mohammed", "Olivia", "Amelia", "Noah", "Kwame", "Aisha", "Tomasz", "Grace", "Liam", "Zara", "Daniel", "Chloe", "Ravi", "Ellie"];
    private static readonly string[] FamilyNames = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Khan", "Patel", "Okafor", "Nowak", "Evans", "Wilson", "Thomas", "Roberts", "Ali", "Walker", "Wright", "Hughes", "Green", "Hall", "Clarke"];
    private static readonly string[] Relationships = ["Mother", "Father", "Spouse", "Civil partner", "Sibling", "Adult child", "Cohabitee"];
    private static readonly string[] StaffRoles = ["Staff nurse", "Charge nurse", "Responsible clinician", "MHA administrator", "Social worker"];
    private static readonly string[] WardNames = ["ASH", "BIRCH", "CEDAR", "ELM", "HAWTHORN", "LARCH", "MAPLE", "OAK", "ROWAN", "WILLOW", "HAZEL", "PINE"];

    private readonly Random _random;
    private readonly DateTime _asOf;
    private readonly DateTime _historyStart;
    private readonly TrustPolicy _policy = new();
    private readonly AdjustmentCodeTables _codes = AdjustmentCodeTables.LoadEmbedded();
    private readonly AdjustmentCode[] _communicationCodes;
    private readonly string _adjustmentCodesVersion;
    private readonly string _impairmentCodesVersion;
    private readonly (string Code, string[] Wards, double Weight)[] _hospitals;
    private readonly CallerIdentity[] _eprKeys;
    private readonly CallerIdentity _mhaOffice;
    private readonly Dictionary<(Provision, bool), ProvisionRule> _ruleCache = [];
    private long _nextLocalId = 1;
    private long _nextNhsBase = 400_000_000;
    private long _sequence;
    private string _previousHash = AuditLog.GenesisHash;

    // Per-patient state (reset by Next()).
    private PatientBatch _batch = null!;
    private readonly List<SimDuty> _duties = [];
    private readonly List<SimEpisode> _episodes = [];
    private readonly PriorityQueue<PatientEvent, (DateTime, long)> _queue = new();
    private readonly List<(DateTime Time, long Order, AuditEvent Event)> _pendingAudit = [];
    private long _order;
    private int _op;
    private DateTime? _communicationFrom;
    private List<(string Category, string Display)> _communicationNeeds = [];

    private readonly AuditChainKey _chainKey;

    /// <param name="chainKey">The key the service will verify the audit chain with (its <c>Audit:ChainKeyFile</c>).</param>
    public PatientSimulator(int seed, DateTime asOf, int years, AuditChainKey chainKey)
    {
        _chainKey = chainKey;
        _random = new Random(seed);
        _asOf = asOf;
        _historyStart = asOf.AddYears(-years);
        _communicationCodes = _codes.AdjustmentCodes.Where(c => AdjustmentRules.CommunicationCategories.Contains(c.CategoryCode)).ToArray();
        _adjustmentCodesVersion = _codes.GetTableVersion(CodeTableNames.AdjustmentCodes);
        _impairmentCodesVersion = _codes.GetTableVersion(CodeTableNames.ImpairmentCodes);

        // 120 hospital sites of 40 trusts, 5-12 wards each, sizes skewed (a few large sites, many small ones).
        _hospitals = Enumerable.Range(0, 120).Select(i =>
        {
            var code = string.Create(CultureInfo.InvariantCulture, $"R{(char)('A' + (i / 3 / 26))}{(char)('A' + (i / 3 % 26))}0{(i % 3) + 1}");
            var wards = WardNames.Take(5 + _random.Next(8)).ToArray();
            return (code, wards, 1.0 / Math.Sqrt(i + 1));
        }).ToArray();
        _eprKeys = Enumerable.Range(1, 3).Select(i => new CallerIdentity("apiKeys/" + NewId(), Roles.EprIntegration, string.Create(CultureInfo.InvariantCulture, $"EPR integration {i}"))).ToArray();
        _mhaOffice = new CallerIdentity("apiKeys/" + NewId(), Roles.MhaOffice, "MHA office");
    }

    public long AuditSequence => _sequence;

    /// <summary>Patients with an open episode at the as-of time, for the read workload (episode count too).</summary>
    public List<(string PatientId, bool Current)> WorkloadPatients { get; } = [];

    /// <summary>Explanation duties awaiting explanation at the as-of time: the record-attempt workload.</summary>
    public List<WorkloadDuty> WorkloadDuties { get; } = [];

    public HashSet<(string Hospital, string Ward)> Wards { get; } = [];

    public PatientBatch Next()
    {
        _duties.Clear();
        _episodes.Clear();
        _queue.Clear();
        _pendingAudit.Clear();
        _communicationFrom = null;
        _communicationNeeds = [];

        var first = _historyStart + TimeSpan.FromMinutes(_random.NextDouble() * (_asOf - _historyStart).TotalMinutes);
        var patient = NewPatient(first);
        _batch = new PatientBatch { Patient = patient };
        Op(first.AddMinutes(-_random.Next(5, 120)), _mhaOffice);
        patient.CreateTime = _opTime;
        patient.UpdateTime = _opTime;
        Audit("CreatePatient", Names.Patient(patient.Id));
        MaybeAdjustments(patient);

        // Admissions: one chain of episodes each; some patients come back.
        var start = first;
        var home = PickHospital();
        while (true)
        {
            var end = Admission(start, _random.NextDouble() < 0.8 ? home : PickHospital());
            if (end is null || _random.NextDouble() > 0.10)
            {
                break;
            }

            start = end.Value + TimeSpan.FromDays(Math.Exp(Normal(Math.Log(240), 1.0)));
            if (start >= _asOf)
            {
                break;
            }
        }

        Finish();
        return _batch;
    }

    private Patient NewPatient(DateTime first)
    {
        var age = (int)Math.Clamp(Normal(38, 15), 14, 92);
        var nearestRelative = _random.NextDouble() switch
        {
            < 0.80 => NearestRelativeStatus.Identified,
            < 0.92 => NearestRelativeStatus.NoneIdentified,
            _ => NearestRelativeStatus.Unknown,
        };
        var language = Pick(Languages);
        var given = GivenNames[_random.Next(GivenNames.Length)];
        var family = FamilyNames[_random.Next(FamilyNames.Length)];
        return new Patient
        {
            Id = NewId(),
            LocalId = string.Create(CultureInfo.InvariantCulture, $"RIO{_nextLocalId++:D9}"),
            NhsNumber = _random.NextDouble() < 0.93 ? NextNhsNumber() : null,
            GivenName = given,
            FamilyName = family,
            DateOfBirth = _random.NextDouble() < 0.02 ? null : DateOnly.FromDateTime(first.AddYears(-age).AddDays(-_random.Next(0, 365))),
            Sex = _random.NextDouble() switch { < 0.56 => PatientSex.Male, < 0.99 => PatientSex.Female, < 0.995 => PatientSex.Indeterminate, _ => PatientSex.NotKnown },
            EthnicCategory = Pick(Ethnicities),
            PreferredLanguage = language,
            InterpreterNeeded = language != "en" && _random.NextDouble() < 0.6,
            NearestRelativeStatus = nearestRelative,
            NearestRelativeName = nearestRelative == NearestRelativeStatus.Identified ? $"{GivenNames[_random.Next(GivenNames.Length)]} {family}" : null,
            NearestRelativeRelationship = nearestRelative == NearestRelativeStatus.Identified ? Relationships[_random.Next(Relationships.Length)] : null,
            NearestRelativeAddress = nearestRelative == NearestRelativeStatus.Identified ? string.Create(CultureInfo.InvariantCulture, $"{_random.Next(1, 200)} High Street, Derby DE{_random.Next(1, 75)} {_random.Next(1, 9)}AB") : null,
            NearestRelativeContact = nearestRelative == NearestRelativeStatus.Identified ? string.Create(CultureInfo.InvariantCulture, $"07700 9{_random.Next(10000, 99999)}") : null,
            Version = 1,
        };
    }

    /// <summary>A valid, unique NHS number: nine digits from a counter plus the Modulus 11 check digit.</summary>
    private string NextNhsNumber()
    {
        while (true)
        {
            var digits = (_nextNhsBase += 1 + _random.Next(3)).ToString(CultureInfo.InvariantCulture);
            var sum = 0;
            for (var i = 0; i < 9; i++)
            {
                sum += (digits[i] - '0') * (10 - i);
            }

            var check = 11 - (sum % 11);
            if (check == 10)
            {
                continue;
            }

            return digits + (check == 11 ? 0 : check).ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>~9% of patients have a reasonable-adjustment flag; most of those have communication needs that every
    /// later explanation attempt must address (ExplanationRecorder refuses one that does not).</summary>
    private void MaybeAdjustments(Patient patient)
    {
        if (_random.NextDouble() >= 0.09)
        {
            return;
        }

        // Usually identified at registration, sometimes weeks into the first admission (earlier attempts then had no
        // needs to address, as in the service).
        var identified = patient.CreateTime + TimeSpan.FromHours(_random.NextDouble() < 0.7 ? _random.Next(0, 24) : _random.Next(24, 24 * 30));
        if (identified >= _asOf)
        {
            return;
        }

        var state = _random.NextDouble() switch { < 0.86 => AdjustmentRecordState.Active, < 0.95 => AdjustmentRecordState.Identified, _ => AdjustmentRecordState.Removed };
        var record = new AdjustmentRecord
        {
            Id = NewId(),
            PatientId = patient.Id,
            State = AdjustmentRecordState.Identified,
            IdentificationSource = _random.NextDouble() < 0.6 ? AdjustmentIdentificationSource.RegistrationQuestion : AdjustmentIdentificationSource.Clinician,
            CreateTime = identified,
            UpdateTime = identified,
            Version = 1,
        };
        _batch.AdjustmentRecord = record;
        Op(identified, _eprKeys[0]);
        record.Identified = Stamp(identified, _eprKeys[0]);
        var resource = Names.AdjustmentRecord(patient.Id);
        Audit(nameof(AdjustmentRecordEvent.Identify), resource, nameof(AdjustmentRecordState.None), nameof(AdjustmentRecordState.Identified), nameof(AdjustmentRecordEvent.Identify), details: $"{{\"source\":\"{record.IdentificationSource}\",\"reopenedFrom\":null}}");
        if (state == AdjustmentRecordState.Identified)
        {
            return;
        }

        var activated = identified.AddHours(_random.Next(1, 72));
        Op(activated, _mhaOffice);
        record.State = AdjustmentRecordState.Active;
        record.ThresholdConfirmed = Stamp(activated, _mhaOffice);
        record.ReviewState = AdjustmentReviewState.Reviewed;
        record.ReviewDueTime = Calendar.PlusLocal(Instant.FromDateTimeUtc(activated), Period.FromMonths(12)).ToDateTimeUtc();
        record.UpdateTime = activated;
        record.Version++;
        Audit(nameof(AdjustmentRecordEvent.Activate), resource, nameof(AdjustmentRecordState.Identified), nameof(AdjustmentRecordState.Active), nameof(AdjustmentRecordEvent.Activate));
        Audit(nameof(AdjustmentReviewEvent.Schedule), resource, nameof(AdjustmentReviewState.NotApplicable), nameof(AdjustmentReviewState.Reviewed), nameof(AdjustmentReviewEvent.Schedule));

        var items = _random.NextDouble() < 0.7 ? 1 + _random.Next(2) : 0;
        var added = activated.AddMinutes(_random.Next(1, 30));
        for (var i = 0; i < items; i++)
        {
            var code = _communicationCodes[_random.Next(_communicationCodes.Length)];
            AddItem(record, added, AdjustmentItemKind.Adjustment, code.CategoryCode, code.SnomedCode, code.Display, null, _adjustmentCodesVersion);
            _communicationNeeds.Add((code.CategoryCode, code.Display));
        }

        if (_random.NextDouble() < 0.5)
        {
            var impairment = _codes.Impairments[_random.Next(_codes.Impairments.Count)];
            AddItem(record, added, AdjustmentItemKind.Impairment, null, null, impairment.Display, impairment, _impairmentCodesVersion);
        }

        if (_communicationNeeds.Count > 0)
        {
            _communicationFrom = added;
        }

        if (state == AdjustmentRecordState.Removed)
        {
            var removed = added.AddDays(_random.Next(30, 700));
            if (removed < _asOf)
            {
                Op(removed, _mhaOffice);
                record.State = AdjustmentRecordState.Removed;
                record.ReviewState = AdjustmentReviewState.NotApplicable;
                record.Removal = new AdjustmentRemoval { ReasonCode = "NoLongerRequired", Comment = "Needs reassessed: no longer required.", By = Stamp(removed, _mhaOffice) };
                record.UpdateTime = removed;
                record.Version++;
                Audit(nameof(AdjustmentRecordEvent.Remove), resource, nameof(AdjustmentRecordState.Active), nameof(AdjustmentRecordState.Removed), nameof(AdjustmentRecordEvent.Remove), record.Removal.Comment);
                foreach (var item in _batch.AdjustmentItems)
                {
                    item.State = AdjustmentItemState.Removed;
                    item.Removal = new AdjustmentRemoval { ReasonCode = "NoLongerRequired", Comment = record.Removal.Comment, By = Stamp(removed, _mhaOffice) };
                    item.UpdateTime = removed;
                    item.Version++;
                    Audit(nameof(AdjustmentItemEvent.Remove), Names.AdjustmentItem(patient.Id, item.Id), nameof(AdjustmentItemState.Active), nameof(AdjustmentItemState.Removed), nameof(AdjustmentItemEvent.Remove), record.Removal.Comment);
                }

                Audit(nameof(AdjustmentReviewEvent.Close), resource, nameof(AdjustmentReviewState.Reviewed), nameof(AdjustmentReviewState.NotApplicable), nameof(AdjustmentReviewEvent.Close));
                _communicationFrom = null;
                _communicationNeeds = [];
                return;
            }
        }

        // Annual reviews, most done a little late; the last one may still be due (AdjustmentReviewSweeper).
        while (record.ReviewDueTime < _asOf)
        {
            var due = record.ReviewDueTime.Value;
            if (_random.NextDouble() < 0.25)
            {
                Op(due, Sweeper);
                record.ReviewState = AdjustmentReviewState.ReviewDue;
                record.Version++;
                Audit(nameof(AdjustmentReviewEvent.ReviewFallsDue), resource, nameof(AdjustmentReviewState.Reviewed), nameof(AdjustmentReviewState.ReviewDue), nameof(AdjustmentReviewEvent.ReviewFallsDue));
                break;
            }

            var reviewed = due.AddDays(_random.Next(0, 30));
            if (reviewed >= _asOf)
            {
                break;
            }

            Op(reviewed, _mhaOffice);
            record.LastReviewed = Stamp(reviewed, _mhaOffice);
            record.ReviewDueTime = Calendar.PlusLocal(Instant.FromDateTimeUtc(reviewed), Period.FromMonths(12)).ToDateTimeUtc();
            record.UpdateTime = reviewed;
            record.Version++;
            Audit(nameof(AdjustmentRecordEvent.MarkReviewed), resource, nameof(AdjustmentRecordState.Active), nameof(AdjustmentRecordState.Active), nameof(AdjustmentRecordEvent.MarkReviewed));
        }
    }

    private void AddItem(AdjustmentRecord record, DateTime at, AdjustmentItemKind kind, string? category, string? snomed, string display, ImpairmentCode? impairment, string version)
    {
        Op(at, _eprKeys[0]);
        var item = new AdjustmentItem
        {
            Id = NewId(),
            PatientId = record.PatientId,
            RecordId = record.Id,
            Kind = kind,
            State = AdjustmentItemState.Active,
            CategoryCode = category,
            SnomedCode = snomed,
            Display = display,
            ImpairmentCode = impairment?.Code,
            ConditionCategoryCode = impairment is null ? null : _codes.DefaultConditionCategory.Code,
            CodeTableVersion = version,
            Recorded = Stamp(at, _eprKeys[0]),
            CreateTime = at,
            UpdateTime = at,
            Version = 1,
        };
        _batch.AdjustmentItems.Add(item);
        record.UpdateTime = at;
        record.Version++;
        Audit(nameof(AdjustmentRecordEvent.ChangeItems), Names.AdjustmentRecord(record.PatientId), nameof(AdjustmentRecordState.Active), nameof(AdjustmentRecordState.Active), "CreateAdjustmentItem",
            details: $"{{\"item\":\"{item.Id}\",\"kind\":\"{kind}\"}}");
        Audit("CreateAdjustmentItem", Names.AdjustmentItem(record.PatientId, item.Id), to: nameof(AdjustmentItemState.Active),
            details: $"{{\"kind\":\"{kind}\",\"CategoryCode\":{Json(category)},\"SnomedCode\":{Json(snomed)},\"ImpairmentCode\":{Json(impairment?.Code)},\"CodeTableVersion\":\"{version}\"}}");
    }

    /// <summary>One admission: a chain of episodes until discharge; returns when it ended (null if still open).</summary>
    private DateTime? Admission(DateTime start, (string Code, string[] Wards, double Weight) hospital)
    {
        var ward = hospital.Wards[_random.Next(hospital.Wards.Length)];
        var provision = Pick(FirstProvisions);
        var episode = StartEpisode(provision, null, hospital.Code, ward, start);
        for (var step = 0; step < 12; step++)
        {
            var plan = Plan(episode, step);
            if (plan.Recall is { } recallAt)
            {
                // CTO: recall to hospital, then revoke (back to detention) or release (CTO resumes).
                if (!AdvanceTo(recallAt))
                {
                    return null;
                }

                var recall = Recall(episode, hospital.Code, hospital.Wards[_random.Next(hospital.Wards.Length)], recallAt);
                var recallEnd = recallAt + Hours(6, 70);
                if (!AdvanceTo(recallEnd))
                {
                    return null;
                }

                if (_random.NextDouble() < 0.35)
                {
                    episode = Revoke(recall, episode, recallEnd);
                    continue;
                }

                Release(recall, episode, recallEnd);
                if (plan.End <= recallEnd)
                {
                    plan = plan with { End = recallEnd + TimeSpan.FromDays(_random.Next(7, 120)) };
                }
            }

            if (plan.PlanDischarge && plan.Next is null)
            {
                var planned = plan.End - TimeSpan.FromDays(8 + _random.Next(7));
                if (planned > episode.Row.StartTime)
                {
                    if (!AdvanceTo(planned))
                    {
                        return null;
                    }

                    PlanDischarge(episode, planned, plan.End);
                }
            }

            if (!AdvanceTo(plan.End))
            {
                return null;
            }

            if (plan.Next is { } next)
            {
                episode = ChangeProvision(episode, next, plan.Suspended, plan.End);
                continue;
            }

            EndEpisode(episode, plan.End, plan.EndReason);
            return plan.End;
        }

        // A pathological chain (very long): leave it open rather than invent more steps.
        AdvanceTo(_asOf);
        return null;
    }

    private sealed record EpisodePlan(DateTime End, Provision? Next, Provision? Suspended, EpisodeEndReason EndReason, DateTime? Recall, bool PlanDischarge);

    /// <summary>How long the episode lasts, how it ends and what follows (section lengths clipped to the law's).</summary>
    private EpisodePlan Plan(SimEpisode episode, int step)
    {
        var e = episode.Row;
        var start = e.StartTime;
        var expiry = e.ExpiryTime;
        var r = _random.NextDouble();
        EpisodePlan Ends(TimeSpan length, EpisodeEndReason reason, bool planDischarge = false)
        {
            var end = start + length;
            if (expiry is { } x && end >= x && episode.Rule.Renewal is null)
            {
                return new(x, null, null, EpisodeEndReason.Expired, null, false);
            }

            if (reason == EpisodeEndReason.Expired)
            {
                // Only a fixed, unrenewed period expires; a renewable one ends at a renewal that is not made.
                return expiry is { } y && episode.Rule.Renewal is null
                    ? new(y, null, null, reason, null, false)
                    : new(end, null, null, EpisodeEndReason.DischargedByResponsibleClinician, null, planDischarge);
            }

            return new(end, null, null, reason, null, planDischarge);
        }

        EpisodePlan Becomes(TimeSpan length, Provision next, Provision? suspended = null)
        {
            var end = start + length;
            if (expiry is { } x && end >= x && episode.Rule.Renewal is null)
            {
                end = x - TimeSpan.FromMinutes(_random.Next(5, 120));
            }

            return new(end, next, suspended, EpisodeEndReason.ProvisionChanged, null, false);
        }

        var discharge = _random.NextDouble() switch
        {
            < 0.78 => EpisodeEndReason.DischargedByResponsibleClinician,
            < 0.86 => EpisodeEndReason.DischargedByTribunal,
            < 0.89 => EpisodeEndReason.DischargedByHospitalManagers,
            < 0.91 => EpisodeEndReason.DischargedByNearestRelative,
            < 0.975 => EpisodeEndReason.Expired,
            < 0.98 => EpisodeEndReason.Died,
            _ => EpisodeEndReason.TransferredOut,
        };
        switch (e.Provision)
        {
            case Provision.Section136 or Provision.Section135:
                return r < 0.40 ? Becomes(Hours(4, 20), Provision.Section2) : Ends(Hours(3, 23), r < 0.9 ? EpisodeEndReason.DischargedByResponsibleClinician : EpisodeEndReason.Expired);
            case Provision.Section5_4:
                return r < 0.45 ? Becomes(Hours(1, 5), Provision.Section5_2) : Ends(Hours(1, 6), EpisodeEndReason.Expired);
            case Provision.Section5_2:
                return r < 0.30 ? Becomes(Hours(6, 68), Provision.Section2) : r < 0.50 ? Becomes(Hours(6, 68), Provision.Section3)
                    : Ends(Hours(6, 72), r < 0.85 ? EpisodeEndReason.DischargedByResponsibleClinician : EpisodeEndReason.Expired);
            case Provision.Section4:
                return r < 0.65 ? Becomes(Hours(6, 68), Provision.Section2) : Ends(Hours(6, 72), EpisodeEndReason.Expired);
            case Provision.Section2:
                return r < 0.30 ? Becomes(Days(6, 27), Provision.Section3) : Ends(TimeSpan.FromDays(Math.Exp(Normal(Math.Log(18), 0.45))), discharge, planDischarge: _random.NextDouble() < 0.2);
            case Provision.Section3:
                return r < 0.15 && step < 8 ? Becomes(LogNormalDays(120, 0.8), Provision.CommunityTreatmentOrder, Provision.Section3)
                    : Ends(LogNormalDays(100, 0.9), discharge, planDischarge: _random.NextDouble() < 0.35);
            case Provision.Section37:
                return r < 0.10 && step < 8 ? Becomes(LogNormalDays(300, 0.7), Provision.CommunityTreatmentOrder, Provision.Section37)
                    : Ends(LogNormalDays(330, 0.8), discharge, planDischarge: _random.NextDouble() < 0.35);
            case Provision.CommunityTreatmentOrder:
                {
                    var plan = Ends(LogNormalDays(330, 0.8), discharge);
                    return _random.NextDouble() < 0.22 && step < 8
                        ? plan with { Recall = start + ((plan.End - start) * (0.1 + (0.8 * _random.NextDouble()))) }
                        : plan;
                }

            case Provision.Section35 or Provision.Section36:
                return r < 0.45 ? Becomes(Days(20, 80), Provision.Section37) : Ends(Days(20, 80), EpisodeEndReason.Other);
            case Provision.Section38:
                return r < 0.45 ? Becomes(Days(30, 300), Provision.Section37) : r < 0.6 ? Becomes(Days(30, 300), Provision.Section37_41) : Ends(Days(30, 300), EpisodeEndReason.Other);
            case Provision.Section47 or Provision.Section48:
                return Ends(LogNormalDays(200, 0.7), r < 0.6 ? EpisodeEndReason.TransferredOut : discharge);
            case Provision.Guardianship7:
                return Ends(LogNormalDays(500, 0.7), discharge);
            default:
                // Restricted and other indefinite provisions: years, ended by a tribunal or the Secretary of State.
                return Ends(LogNormalDays(900, 0.7), r < 0.5 ? EpisodeEndReason.DischargedByTribunal : r < 0.8 ? EpisodeEndReason.Other : EpisodeEndReason.TransferredOut);
        }
    }

    // ---- Legal status operations (LegalStatusLifecycle) -------------------------------------------------------

    private SimEpisode StartEpisode(Provision provision, Provision? suspended, string hospital, string ward, DateTime at)
    {
        AdvanceTo(at);
        Op(at, _mhaOffice);
        var episode = NewEpisode(provision, provision == Provision.CommunityTreatmentOrder ? Provision.Section3 : suspended, hospital, ward, at);
        Audit("StartEpisode", episode.Name, null, nameof(EpisodeState.Active), provision.ToString());
        Locate(hospital, episode.Row.Ward);
        ApplyLegalStatusChange([], episode, provision == Provision.CommunityTreatmentOrder ? DutyTrigger.CtoMade : DutyTrigger.DetentionStart, at, true);
        Schedule(episode, at);
        MaybeMedication(episode);
        return episode;
    }

    private SimEpisode ChangeProvision(SimEpisode current, Provision provision, Provision? suspended, DateTime at)
    {
        Op(at, _mhaOffice);
        Transition(current, nameof(EpisodeEvent.ChangeProvision), EpisodeState.Superseded, provision.ToString());
        EndFields(current, at, EpisodeEndReason.ProvisionChanged);
        var next = NewEpisode(provision, suspended, current.Row.Hospital, current.Row.Ward, at);
        current.Row.NextEpisodeId = next.Row.Id;
        next.Row.PreviousEpisodeId = current.Row.Id;
        Locate(next.Row.Hospital, next.Row.Ward);
        CancelSchedule(current);
        ApplyLegalStatusChange([current], next, provision == Provision.CommunityTreatmentOrder ? DutyTrigger.CtoMade : DutyTrigger.ChangeOfProvision, at, true);
        Schedule(next, at);
        MaybeMedication(next);
        return next;
    }

    private SimEpisode Recall(SimEpisode cto, string hospital, string ward, DateTime at)
    {
        Op(at, _mhaOffice);
        Transition(cto, nameof(EpisodeEvent.Recall), EpisodeState.Recalled);
        var recall = NewEpisode(Provision.CommunityTreatmentOrderRecall, null, hospital, ward, at);
        recall.Row.ParentEpisodeId = cto.Row.Id;
        Locate(hospital, ward);
        ApplyLegalStatusChange([], recall, DutyTrigger.CtoRecall, at, true);
        return recall;
    }

    private void Release(SimEpisode recall, SimEpisode cto, DateTime at)
    {
        Op(at, _mhaOffice);
        Transition(recall, nameof(EpisodeEvent.ReleaseFromRecall), EpisodeState.Ended);
        EndFields(recall, at, EpisodeEndReason.ReleasedFromRecall);
        Transition(cto, nameof(EpisodeEvent.ReleaseFromRecall), EpisodeState.Active);
        ApplyLegalStatusChange([recall], cto, DutyTrigger.CtoRecall, at, false);
    }

    private SimEpisode Revoke(SimEpisode recall, SimEpisode cto, DateTime at)
    {
        Op(at, _mhaOffice);
        Transition(recall, nameof(EpisodeEvent.Revoke), EpisodeState.Superseded);
        Transition(cto, nameof(EpisodeEvent.Revoke), EpisodeState.Superseded);
        EndFields(recall, at, EpisodeEndReason.CommunityTreatmentOrderRevoked);
        EndFields(cto, at, EpisodeEndReason.CommunityTreatmentOrderRevoked);
        var detention = NewEpisode(cto.Row.SuspendedProvision ?? Provision.Section3, null, recall.Row.Hospital, recall.Row.Ward, at);
        recall.Row.NextEpisodeId = detention.Row.Id;
        detention.Row.PreviousEpisodeId = recall.Row.Id;
        cto.Row.NextEpisodeId = detention.Row.Id;
        CancelSchedule(cto);
        ApplyLegalStatusChange([recall, cto], detention, DutyTrigger.CtoRevoked, at, true);
        Schedule(detention, at);
        return detention;
    }

    private void EndEpisode(SimEpisode episode, DateTime at, EpisodeEndReason reason)
    {
        Op(at, _mhaOffice);
        Transition(episode, nameof(EpisodeEvent.End), EpisodeState.Ended, reason.ToString());
        EndFields(episode, at, reason);
        CancelSchedule(episode);
        ApplyLegalStatusChange([episode], null, DutyTrigger.Unspecified, at, false);
    }

    private void PlanDischarge(SimEpisode episode, DateTime at, DateTime planned)
    {
        Op(at, _mhaOffice);
        Transition(episode, nameof(EpisodeEvent.PlanDischarge), EpisodeState.Active, LondonTime.Format(planned));
        episode.Row.PlannedDischargeTime = planned;
        episode.Row.UpdateTime = at;
        // RightsLifecycle.PlanDischargeNoticeAsync: a new s133 notice supersedes an earlier one.
        var previous = OpenDuties().Where(d => d.Row.Kind == DutyKind.Section133DischargeNotice).ToList();
        var duty = OpenDuty(DutyRules.DischargeNotice, episode, DutyTrigger.DischargePlanned, at);
        duty.Row.DueTime = Calendar.PlusLocal(Instant.FromDateTimeUtc(planned), Period.Zero - _policy.DischargeNoticeLead).ToDateTimeUtc();
        foreach (var old in previous)
        {
            EndDuty(old, duty, at);
        }

        if (_batch.Patient.NearestRelativeStatus == NearestRelativeStatus.NoneIdentified)
        {
            ResolveNotice(duty, DutyState.NotRequired, nameof(NoticeEvent.NoticeNotRequired), NoticeWorkflow.NoNearestRelativeNote, at);
        }
        else
        {
            PlanNotice(duty, at);
        }
    }

    private void MaybeMedication(SimEpisode episode)
    {
        // Part 4 clock: most detained patients are given medication within days of detention.
        if (!episode.Rule.IsDetention || episode.Rule.DurationRule.Elapsed is not null || _random.NextDouble() > 0.6)
        {
            return;
        }

        var at = episode.Row.StartTime + Hours(2, 96);
        _queue.Enqueue(new PatientEvent(PatientEventKind.Medication, episode, null), (at, _order++));
    }

    private SimEpisode NewEpisode(Provision provision, Provision? suspended, string hospital, string? ward, DateTime at)
    {
        var rule = RuleFor(provision, at);
        var row = new LegalStatusEpisode
        {
            Id = NewId(),
            PatientId = _batch.Patient.Id,
            Provision = provision,
            SuspendedProvision = provision == Provision.CommunityTreatmentOrder ? suspended ?? Provision.Section3 : null,
            State = EpisodeState.Active,
            Hospital = hospital,
            // CTO patients live in the community: the responsible hospital, no ward.
            Ward = provision == Provision.CommunityTreatmentOrder ? null : ward,
            StartTime = at,
            ExpiryTime = Calendar.ComputeExpiry(rule, Instant.FromDateTimeUtc(at))?.ToDateTimeUtc(),
            CreateTime = _opTime,
            UpdateTime = _opTime,
            Version = 1,
        };
        var episode = new SimEpisode(row, rule, Names.Episode(row.PatientId, row.Id)) { LastOp = _op };
        _episodes.Add(episode);
        _batch.Episodes.Add(row);
        if (rule.Renewal is not null && row.ExpiryTime is not null)
        {
            QueueRenewal(episode);
        }

        return episode;
    }

    private void QueueRenewal(SimEpisode episode)
    {
        // §3.1: the renewal examination falls in the last two months; most are done a week or two before expiry.
        var expiry = episode.Row.ExpiryTime!.Value;
        var at = expiry - TimeSpan.FromDays(1 + (_random.NextDouble() * 40));
        _queue.Enqueue(new PatientEvent(PatientEventKind.Renewal, episode, null), (at < episode.Row.StartTime ? episode.Row.StartTime : at, _order++));
    }

    private void Renew(SimEpisode episode, DateTime at)
    {
        Instant? renewed;
        try
        {
            renewed = Calendar.ComputeRenewedExpiry(episode.Rule, Instant.FromDateTimeUtc(episode.Row.StartTime), episode.Row.RenewalCount + 1);
        }
        catch (ArgumentOutOfRangeException)
        {
            return; // RENEWAL_LIMIT: the episode runs to its expiry.
        }

        Op(at, _mhaOffice);
        var horizon = episode.Row.ExpiryTime ?? Calendar.PlusLocal(Instant.FromDateTimeUtc(episode.Row.StartTime), Period.FromYears(3)).ToDateTimeUtc();
        Transition(episode, nameof(EpisodeEvent.Renew), EpisodeState.Active);
        episode.Row.RenewalCount++;
        episode.Row.LastRenewalTime = at;
        episode.Row.ExpiryTime = renewed?.ToDateTimeUtc();
        episode.Row.UpdateTime = at;
        RaiseReexplanation(DutyTrigger.Renewal, at, string.Create(CultureInfo.InvariantCulture, $"Renewal {episode.Row.RenewalCount}"));
        Schedule(episode, horizon);
        QueueRenewal(episode);
    }

    private void Transition(SimEpisode episode, string action, EpisodeState to, string? cause = null)
    {
        var from = episode.Row.State;
        episode.Row.State = to;
        Touch(episode);
        Audit(action, episode.Name, from.ToString(), to.ToString(), cause ?? action);
    }

    private void EndFields(SimEpisode episode, DateTime at, EpisodeEndReason reason)
    {
        episode.Row.EndTime = at;
        episode.Row.EndReason = reason;
        episode.Row.UpdateTime = at;
        Touch(episode);
    }

    private void Locate(string hospital, string? ward)
    {
        var patient = _batch.Patient;
        patient.Hospital = hospital;
        patient.Ward = ward;
        patient.UpdateTime = _opTime;
        patient.Version++;
    }

    /// <summary>LegalStatusLifecycle.Schedule: tribunal windows and automatic references up to the current expiry.</summary>
    private void Schedule(SimEpisode episode, DateTime after)
    {
        var rule = episode.Rule;
        var start = Instant.FromDateTimeUtc(episode.Row.StartTime);
        var from = Instant.FromDateTimeUtc(after);
        var until = Instant.FromDateTimeUtc(episode.Row.ExpiryTime ?? Calendar.PlusLocal(start, Period.FromYears(3)).ToDateTimeUtc());
        foreach (var window in Calendar.ComputeTribunalWindows(rule, start, until).Where(w => w.Opens >= from && w.Opens > start))
        {
            AddTrigger(episode, DutyTrigger.TribunalWindow, window.Opens.ToDateTimeUtc(), $"Tribunal window opens: {window.Label}");
        }

        if (rule.AutomaticReferences.HasAny)
        {
            var dob = _batch.Patient.DateOfBirth is { } d ? new LocalDate(d.Year, d.Month, d.Day) : new LocalDate(1900, 1, 1);
            foreach (var reference in Calendar.ComputeAutomaticReferenceDates(rule, start, null, dob).Where(r => r >= from && r < until))
            {
                AddTrigger(episode, DutyTrigger.AutomaticReference, reference.ToDateTimeUtc(), "Automatic tribunal reference due (s68)");
            }
        }
    }

    private void AddTrigger(SimEpisode episode, DutyTrigger trigger, DateTime at, string label)
    {
        var row = new ScheduledTrigger { Id = NewId(), PatientId = _batch.Patient.Id, EpisodeId = episode.Row.Id, Trigger = trigger, FireTime = at, Label = label };
        _batch.Triggers.Add(row);
        episode.PendingTriggers.Add(row);
        _queue.Enqueue(new PatientEvent(PatientEventKind.Trigger, episode, row), (at, _order++));
        Audit("ScheduleTrigger", episode.Name, trigger: trigger.ToString(), reason: label, details: $"{{\"fire_time\":\"{at.ToString("O", CultureInfo.InvariantCulture)}\"}}");
    }

    private void CancelSchedule(SimEpisode episode)
    {
        foreach (var trigger in episode.PendingTriggers.Where(t => t.FiredTime is null))
        {
            trigger.Cancelled = true;
        }

        episode.PendingTriggers.Clear();
    }

    // ---- Duties (RightsLifecycle) ----------------------------------------------------------------------------

    /// <summary>RightsLifecycle.ApplyLegalStatusChangeAsync, step for step.</summary>
    private void ApplyLegalStatusChange(List<SimEpisode> ending, SimEpisode? current, DutyTrigger trigger, DateTime at, bool openProvisionDuties)
    {
        var open = OpenDuties().OrderBy(d => d.Row.OpenTime).ToList();
        var endingIds = ending.Select(e => e.Row.Id).ToHashSet(StringComparer.Ordinal);
        var currentRule = current?.Rule;
        SimDuty? successor = null;
        foreach (var rule in DutyRules.OnLegalStatusChange)
        {
            var applies = currentRule is not null && rule.AppliesTo(currentRule);
            var existing = open.Where(d => d.Row.Kind == rule.Kind).ToList();
            SimDuty? opened = null;
            switch (rule.Scope)
            {
                case DutyScope.Provision:
                    if (applies && openProvisionDuties)
                    {
                        opened = OpenDuty(rule, current!, trigger, at);
                        if (!rule.IsNotice)
                        {
                            successor ??= opened;
                        }
                    }

                    foreach (var duty in existing.Where(d => endingIds.Contains(d.Row.EpisodeId)))
                    {
                        EndDuty(duty, opened ?? (rule.IsNotice ? null : successor), at);
                    }

                    break;
                case DutyScope.Hospital:
                    var sameHospital = existing.FirstOrDefault(d => current is not null && d.Row.Hospital == current.Row.Hospital);
                    if (applies && sameHospital is null)
                    {
                        opened = OpenDuty(rule, current!, trigger, at);
                    }

                    foreach (var duty in existing.Where(d => !applies || d != sameHospital))
                    {
                        EndDuty(duty, opened, at);
                    }

                    break;
                case DutyScope.QualifyingPeriod:
                    if (applies && existing.Count == 0)
                    {
                        OpenDuty(rule, current!, trigger, at);
                    }
                    else if (!applies)
                    {
                        foreach (var duty in existing)
                        {
                            EndDuty(duty, null, at);
                        }
                    }

                    break;
                default:
                    break;
            }
        }

        if (current is null)
        {
            foreach (var duty in open.Where(d => d.IsOpen && d.Row.Kind == DutyKind.Section133DischargeNotice))
            {
                EndDuty(duty, null, at);
            }
        }
    }

    private SimDuty OpenDuty(DutyRule rule, SimEpisode episode, DutyTrigger trigger, DateTime at)
    {
        var row = new RightsDuty
        {
            Id = NewId(),
            PatientId = _batch.Patient.Id,
            EpisodeId = episode.Row.Id,
            Kind = rule.Kind,
            State = DutyState.Due,
            Trigger = trigger,
            LastTrigger = trigger,
            Provision = episode.Row.Provision,
            Hospital = episode.Row.Hospital,
            Ward = episode.Row.Ward,
            OpenTime = at,
            UpdateTime = at,
            Version = 1,
        };
        var sla = _policy.SlaFor(episode.Row.Provision).ToTimeSpan();
        row.DueTime = rule.IsNotice ? Calendar.PlusLocal(Instant.FromDateTimeUtc(at), _policy.NearestRelativeCopyTarget).ToDateTimeUtc() : at + sla;
        var duty = new SimDuty(row, rule, Names.Duty(row.PatientId, row.Id), sla) { LastOp = _op };
        _duties.Add(duty);
        _batch.Duties.Add(row);
        Audit("OpenDuty", duty.Name, null, nameof(DutyState.Due), trigger.ToString(), rule.Citation);
        if (rule.IsNotice && rule.Kind != DutyKind.Section133DischargeNotice)
        {
            if (_batch.Patient.NearestRelativeStatus == NearestRelativeStatus.NoneIdentified)
            {
                row.State = DutyState.NotRequired;
                row.ResolvedTime = at;
                row.ResolutionNote = NoticeWorkflow.NoNearestRelativeNote;
                Audit(nameof(NoticeEvent.NoticeNotRequired), duty.Name, nameof(DutyState.Due), nameof(DutyState.NotRequired), nameof(NoticeEvent.NoticeNotRequired), row.ResolutionNote);
            }
            else
            {
                PlanNotice(duty, at);
            }
        }
        else if (!rule.IsNotice)
        {
            // First explanation: most within the SLA, a long tail beyond it, a few never while the duty lasts.
            duty.NextAttempt = _random.NextDouble() < 0.04 ? null : at + (sla * Math.Exp(Normal(Math.Log(0.35), 0.9)));
            duty.Phase = AttemptPhase.Initial;
        }

        return duty;
    }

    private void PlanNotice(SimDuty duty, DateTime at)
    {
        var due = duty.Row.DueTime!.Value;
        var unknownRelative = _batch.Patient.NearestRelativeStatus == NearestRelativeStatus.Unknown;
        var r = _random.NextDouble();
        if (r < 0.07)
        {
            duty.NoticePlan = (at + Hours(1, 48), DutyState.NotRequired);
        }
        else if (r < (unknownRelative ? 0.45 : 0.85))
        {
            duty.NoticePlan = (at + ((due - at) * (0.05 + (0.95 * _random.NextDouble()))), DutyState.Sent);
        }
        else if (r < (unknownRelative ? 0.6 : 0.95))
        {
            duty.NoticePlan = (due + TimeSpan.FromDays(0.5 + (_random.NextDouble() * 20)), DutyState.Sent);
        }
        else
        {
            duty.NoticePlan = null;
        }
    }

    private void EndDuty(SimDuty duty, SimDuty? replacement, DateTime at)
    {
        if (!duty.IsOpen)
        {
            return;
        }

        var row = duty.Row;
        row.ResolvedTime = at;
        row.UpdateTime = at;
        row.SupersededById = replacement?.Row.Id;
        var reason = replacement is null ? "The legal authority ended." : "Replaced by a duty for the new legal position.";
        row.ResolutionNote = reason;
        var action = replacement is null ? "Close" : "Supersede";
        DutyTransition(duty, action, replacement is null ? DutyState.Closed : DutyState.Superseded, action, reason);
        duty.NextAttempt = null;
        duty.NoticePlan = null;
    }

    private void ResolveNotice(SimDuty duty, DutyState to, string action, string note, DateTime at)
    {
        duty.Row.ResolvedTime = at;
        duty.Row.ResolutionNote = note;
        duty.Row.UpdateTime = at;
        DutyTransition(duty, action, to, action, note);
        duty.NoticePlan = null;
    }

    /// <summary>RightsLifecycle.RaiseReexplanationAsync.</summary>
    private void RaiseReexplanation(DutyTrigger trigger, DateTime at, string? note)
    {
        foreach (var duty in OpenDuties().OrderBy(d => d.Row.OpenTime).ToList())
        {
            if (duty.Rule.IsNotice || !duty.Rule.HasPeriodicReminder)
            {
                continue;
            }

            var row = duty.Row;
            row.LastTrigger = trigger;
            row.UpdateTime = at;
            if (row.State == DutyState.Understood)
            {
                row.DueTime = at + duty.Sla;
                row.NextReminderTime = null;
                DutyTransition(duty, nameof(DutyEvent.ReexplanationRaised), DutyState.ReminderDue, trigger.ToString(), note);
                PlanReminderAttempt(duty, at);
            }
            else
            {
                Touch(duty);
                Audit("ReexplanationRaised", duty.Name, row.State.ToString(), row.State.ToString(), trigger.ToString(), note);
            }
        }
    }

    private void PlanReminderAttempt(SimDuty duty, DateTime at)
    {
        duty.Phase = AttemptPhase.Reminder;
        duty.NextAttempt = _random.NextDouble() < 0.08 ? null : at + (duty.Sla * Math.Exp(Normal(Math.Log(0.6), 1.0)));
    }

    /// <summary>ExplanationRecorder.RecordAsync + ApplyOutcomeAsync.</summary>
    private void RecordAttempt(SimDuty duty, DateTime at)
    {
        var row = duty.Row;
        var actor = _random.NextDouble() < 0.8 ? _eprKeys[_random.Next(_eprKeys.Length)] : _mhaOffice;
        var created = at.AddMinutes(_random.Next(1, 30));
        Op(created < _asOf ? created : at, actor);
        var outcome = Outcome(duty.Phase);
        var patient = _batch.Patient;
        var needs = _communicationFrom is { } since && since <= at ? _communicationNeeds : [];
        var unmet = needs.Count > 0 && _random.NextDouble() < 0.1 ? 1 : 0;
        var written = _random.NextDouble() < 0.93;
        var sharing = _random.NextDouble() switch { < 0.70 => NearestRelativeSharing.Agrees, < 0.92 => NearestRelativeSharing.NoView, < 0.95 => NearestRelativeSharing.Objects, _ => NearestRelativeSharing.Unspecified };
        var imha = row.Kind == DutyKind.Section130D || (RuleFor(row.Provision, row.OpenTime).ImhaQualifying && _random.NextDouble() < 0.6);
        var interpreter = patient.InterpreterNeeded && _random.NextDouble() < 0.85;
        var next = outcome != AttemptOutcome.Understood && _random.NextDouble() < 0.5 ? at + TimeSpan.FromHours(_random.Next(24, 96)) : (DateTime?)null;
        var attempt = new ExplanationAttempt
        {
            Id = NewId(),
            DutyId = row.Id,
            PatientId = row.PatientId,
            AttemptTime = at,
            ExplainedBy = $"{GivenNames[_random.Next(GivenNames.Length)]} {FamilyNames[_random.Next(FamilyNames.Length)]}",
            ExplainedByRole = StaffRoles[_random.Next(StaffRoles.Length)],
            Provision = row.Provision,
            Trigger = row.LastTrigger,
            OralGiven = true,
            WrittenGiven = written,
            LeafletId = written ? string.Create(CultureInfo.InvariantCulture, $"DHSC-{row.Provision}") : null,
            LeafletVersion = written ? "2024-01" : null,
            LeafletLanguage = written ? patient.PreferredLanguage : null,
            InterpreterUsed = interpreter,
            Outcome = outcome,
            CapacityNote = outcome is AttemptOutcome.NotUnderstood or AttemptOutcome.Unable ? "Too unwell to retain the information today." : null,
            ImhaInformationGiven = imha,
            NearestRelativeSharing = sharing,
            NextAttemptTime = next,
            CommunicationNeedsJson = needs.Count == 0 ? null
                : "[" + string.Join(",", needs.Select((n, i) => $"{{\"CategoryCode\":\"{n.Category}\",\"Met\":{(i < unmet ? "false" : "true")},\"Detail\":{Json(i < unmet ? "Not available on the ward today" : n.Display)}}}")) + "]",
            UnmetCommunicationNeeds = Math.Min(unmet, needs.Count),
            State = AttemptState.Recorded,
            RecordedByPrincipal = actor.Principal,
            RecordedByRole = actor.Role,
            RecordedByDisplayName = actor.DisplayName,
            CreateTime = _opTime,
            Version = 1,
        };
        _batch.Attempts.Add(attempt);
        Audit("RecordExplanationAttempt", Names.Attempt(row.PatientId, row.Id, attempt.Id), to: outcome.ToString(), trigger: row.LastTrigger.ToString(),
            details: $"{{\"OralGiven\":true,\"WrittenGiven\":{(written ? "true" : "false")},\"LeafletId\":{Json(attempt.LeafletId)},\"InterpreterUsed\":{(interpreter ? "true" : "false")},\"ImhaInformationGiven\":{(imha ? "true" : "false")},\"correctsId\":null}}");
        row.AttemptCount++;
        if (row.FirstAttemptTime is null || at < row.FirstAttemptTime)
        {
            row.FirstAttemptTime = at;
        }

        var cause = row.LastTrigger.ToString();
        row.UpdateTime = at;
        if (outcome == AttemptOutcome.Understood)
        {
            row.UnderstoodTime = at;
            row.NextAttemptTime = null;
            row.NextReminderTime = duty.Rule.HasPeriodicReminder
                ? Calendar.PlusLocal(Instant.FromDateTimeUtc(at), _policy.PeriodicIntervalFor(RuleFor(row.Provision, row.OpenTime))).ToDateTimeUtc()
                : null;
            DutyTransition(duty, nameof(DutyEvent.AttemptUnderstood), DutyState.Understood, cause, null);
            duty.NextAttempt = null;
        }
        else
        {
            DutyTransition(duty, nameof(DutyEvent.AttemptUnsuccessful), DutyState.Attempted, cause, null);
            row.NextAttemptTime = next ?? at + _policy.ReattemptInterval.ToTimeSpan();
            row.LastTrigger = DutyTrigger.NotUnderstood;
            DutyTransition(duty, nameof(DutyEvent.ScheduleReattempt), DutyState.ReattemptScheduled, cause, null);
            duty.Phase = AttemptPhase.Reattempt;
            duty.NextAttempt = _random.NextDouble() < 0.88 ? Max(row.NextAttemptTime.Value + TimeSpan.FromHours(Normal(0, 12)), at + TimeSpan.FromHours(1)) : null;
        }

        if (sharing == NearestRelativeSharing.Objects)
        {
            var note = $"The patient objected to the nearest relative receiving a copy when rights were explained on {LondonTime.Format(at)} (s132(4)).";
            foreach (var copy in OpenDuties().Where(d => d.Row.Kind is DutyKind.NearestRelativeCopy132 or DutyKind.NearestRelativeCopy130D).ToList())
            {
                ResolveNotice(copy, DutyState.NotRequired, nameof(NoticeEvent.NoticeNotRequired), note, at);
            }
        }
    }

    private AttemptOutcome Outcome(AttemptPhase phase)
    {
        var understood = phase switch { AttemptPhase.Initial => 0.72, AttemptPhase.Reattempt => 0.62, _ => 0.9 };
        var r = _random.NextDouble();
        if (r < understood)
        {
            return AttemptOutcome.Understood;
        }

        return ((r - understood) / (1 - understood)) switch
        {
            < 0.35 => AttemptOutcome.PartlyUnderstood,
            < 0.70 => AttemptOutcome.NotUnderstood,
            < 0.85 => AttemptOutcome.Declined,
            _ => AttemptOutcome.Unable,
        };
    }

    private void DutyTransition(SimDuty duty, string action, DutyState to, string cause, string? reason)
    {
        var from = duty.Row.State;
        duty.Row.State = to;
        Touch(duty);
        Audit(action, duty.Name, from.ToString(), to.ToString(), cause, reason);
    }

    private IEnumerable<SimDuty> OpenDuties() => _duties.Where(d => d.IsOpen);

    // ---- Time ---------------------------------------------------------------------------------------------------

    /// <summary>
    /// Plays everything that happens before <paramref name="until"/> (exclusive) in time order: explanation attempts,
    /// notices sent, and what the deadline sweeper does (deadlines passed, periodic reminders, dated triggers), plus
    /// renewals. Returns false when the as-of time came first (the patient's story stops there).
    /// </summary>
    private bool AdvanceTo(DateTime until)
    {
        var limit = until < _asOf ? until : _asOf;
        while (true)
        {
            SimDuty? duty = null;
            var dutyTime = DateTime.MaxValue;
            foreach (var d in _duties)
            {
                if (d.IsOpen && d.NextEventTime() is { } t && t < dutyTime)
                {
                    dutyTime = t;
                    duty = d;
                }
            }

            var hasEvent = _queue.TryPeek(out var patientEvent, out var priority);
            if (hasEvent && priority.Item1 <= dutyTime && priority.Item1 < limit)
            {
                _queue.Dequeue();
                Handle(patientEvent!, priority.Item1);
                continue;
            }

            if (duty is null || dutyTime >= limit)
            {
                return until < _asOf;
            }

            HandleDuty(duty, dutyTime);
        }
    }

    private void Handle(PatientEvent e, DateTime at)
    {
        var open = e.Episode.Row.State is EpisodeState.Active or EpisodeState.Recalled;
        switch (e.Kind)
        {
            case PatientEventKind.Renewal when open:
                Renew(e.Episode, at);
                break;
            case PatientEventKind.Trigger when e.Trigger is { Cancelled: false, FiredTime: null }:
                // DeadlineSweeper step 1: fired within a sweep interval, raised at its own time.
                Op(at, Sweeper);
                e.Trigger.FiredTime = at.AddSeconds(_random.Next(1, 60));
                RaiseReexplanation(e.Trigger.Trigger, at, e.Trigger.Label);
                break;
            case PatientEventKind.Medication when open && e.Episode.Row.FirstMedicationTime is null:
                Op(at, _mhaOffice);
                Transition(e.Episode, nameof(EpisodeEvent.RecordMedicationStart), e.Episode.Row.State, LondonTime.Format(at));
                e.Episode.Row.FirstMedicationTime = at;
                e.Episode.Row.UpdateTime = at;
                AddTrigger(e.Episode, DutyTrigger.Part4ThreeMonths, Calendar.ComputePart4ThreeMonthPoint(Instant.FromDateTimeUtc(at)).ToDateTimeUtc(), "Part 4: three months since medication was first given (s58)");
                break;
            default:
                break;
        }
    }

    private void HandleDuty(SimDuty duty, DateTime at)
    {
        var row = duty.Row;
        switch (duty.PendingEvent)
        {
            case DutyEventKind.Deadline:
                // DeadlineSweeper step 3.
                Op(at, Sweeper);
                row.UpdateTime = at;
                DutyTransition(duty, "DeadlinePassed", DutyState.Overdue, "DeadlinePassed", $"Deadline {LondonTime.Format(row.DueTime)} passed.");
                break;
            case DutyEventKind.Reminder:
                // DeadlineSweeper step 2.
                Op(at, Sweeper);
                row.DueTime = at + duty.Sla;
                row.LastTrigger = DutyTrigger.Periodic;
                row.UpdateTime = at;
                DutyTransition(duty, nameof(DutyEvent.ReminderFallsDue), DutyState.ReminderDue, nameof(DutyTrigger.Periodic), null);
                row.NextReminderTime = null;
                PlanReminderAttempt(duty, at);
                break;
            case DutyEventKind.Attempt:
                RecordAttempt(duty, at);
                break;
            case DutyEventKind.Notice:
                Op(at, _mhaOffice);
                if (duty.NoticePlan!.Value.Outcome == DutyState.Sent)
                {
                    var method = _random.NextDouble() < 0.8 ? "post" : "email";
                    ResolveNotice(duty, DutyState.Sent, nameof(NoticeEvent.NoticeSent), $"Sent by {method} to {_batch.Patient.NearestRelativeName ?? "the nearest relative"}.", at);
                }
                else
                {
                    ResolveNotice(duty, DutyState.NotRequired, nameof(NoticeEvent.NoticeNotRequired), "The patient objects: does not want the nearest relative to have a copy.", at);
                }

                break;
            default:
                throw new InvalidOperationException("No pending duty event.");
        }
    }

    // ---- Bookkeeping --------------------------------------------------------------------------------------------

    private DateTime _opTime;
    private CallerIdentity _actor = Sweeper;

    /// <summary>Starts one unit of work: the service bumps each changed row's version once per unit of work.</summary>
    private void Op(DateTime at, CallerIdentity actor)
    {
        _op++;
        _opTime = at;
        _actor = actor;
    }

    private void Touch(SimDuty duty)
    {
        if (duty.LastOp != _op)
        {
            duty.LastOp = _op;
            duty.Row.Version++;
        }
    }

    private void Touch(SimEpisode episode)
    {
        if (episode.LastOp != _op)
        {
            episode.LastOp = _op;
            episode.Row.Version++;
        }
    }

    private void Audit(string action, string resource, string? from = null, string? to = null, string? trigger = null, string? reason = null, string? details = null)
    {
        var evt = new AuditEvent
        {
            EventTime = _opTime,
            ActorPrincipal = _actor.Principal,
            ActorRole = _actor.Role,
            ActorDisplayName = _actor.DisplayName,
            Action = action,
            Resource = resource,
            PatientId = _batch.Patient.Id,
            FromState = from,
            ToState = to,
            Trigger = trigger,
            Reason = reason,
            DetailsJson = details,
            PreviousHash = string.Empty,
            Hash = string.Empty,
        };
        _pendingAudit.Add((_opTime, _order++, evt));
    }

    private AdjustmentActor Stamp(DateTime at, CallerIdentity who) => new() { Principal = who.Principal, Role = who.Role, DisplayName = who.DisplayName, Time = at };

    /// <summary>Closes the patient: final states, the workload manifest, then the audit chain in time order.</summary>
    private void Finish()
    {
        var patient = _batch.Patient;
        var current = _episodes.Any(e => e.Row.State is EpisodeState.Active or EpisodeState.Recalled);
        WorkloadPatients.Add((patient.Id, current));
        foreach (var duty in _duties)
        {
            var row = duty.Row;
            if (row.Ward is not null && duty.IsOpen)
            {
                Wards.Add((row.Hospital, row.Ward));
            }

            if (!duty.Rule.IsNotice && row.State is DutyState.Due or DutyState.Overdue or DutyState.ReattemptScheduled or DutyState.ReminderDue)
            {
                var needs = _communicationFrom is not null ? string.Join(",", _communicationNeeds.Select(n => n.Category)) : string.Empty;
                WorkloadDuties.Add(new WorkloadDuty(row.PatientId, row.Id, row.Version, needs));
            }
        }

        // The service appends each unit of work's events in order; one patient's history is written in time order.
        _pendingAudit.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Order.CompareTo(b.Order));
        foreach (var (_, _, evt) in _pendingAudit)
        {
            evt.Sequence = ++_sequence;
            evt.PreviousHash = _previousHash;
            evt.Hash = _chainKey.Hash(evt);
            _previousHash = evt.Hash;
            _batch.Audit.Add(evt);
        }
    }

    private ProvisionRule RuleFor(Provision provision, DateTime at)
    {
        // Only s135/s136 differ between the shipped rule sets (11 Dec 2017); cache per provision and side of that date.
        var key = (provision, at >= RuleSetChange);
        if (!_ruleCache.TryGetValue(key, out var rule))
        {
            rule = RightsRuleBook.Default.RuleFor(provision, Instant.FromDateTimeUtc(key.Item2 ? RuleSetChange : RuleSetChange.AddDays(-1)));
            _ruleCache[key] = rule;
        }

        return rule;
    }

    private static readonly DateTime RuleSetChange = RightsRuleSets.Mha2007AndPolicingAndCrimeAct2017.EffectiveFrom.ToDateTimeUtc();

    private (string Code, string[] Wards, double Weight) PickHospital()
    {
        var total = _hospitals.Sum(h => h.Weight);
        var x = _random.NextDouble() * total;
        foreach (var h in _hospitals)
        {
            x -= h.Weight;
            if (x <= 0)
            {
                return h;
            }
        }

        return _hospitals[^1];
    }

    private T Pick<T>((T Value, double Weight)[] options)
    {
        var total = 0.0;
        foreach (var o in options)
        {
            total += o.Weight;
        }

        var x = _random.NextDouble() * total;
        foreach (var (value, weight) in options)
        {
            x -= weight;
            if (x <= 0)
            {
                return value;
            }
        }

        return options[^1].Value;
    }

    private TimeSpan Hours(double min, double max) => TimeSpan.FromHours(min + (_random.NextDouble() * (max - min)));

    private TimeSpan Days(double min, double max) => TimeSpan.FromDays(min + (_random.NextDouble() * (max - min)));

    private TimeSpan LogNormalDays(double median, double sigma) => TimeSpan.FromDays(Math.Min(Math.Exp(Normal(Math.Log(median), sigma)), 3000));

    private double Normal(double mean, double sd)
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return mean + (sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static string Json(string? value) => value is null ? "null" : System.Text.Json.JsonSerializer.Serialize(value);

    /// <summary>Same shape as Ids.New (20 base-32 characters), from the seeded generator so runs repeat.</summary>
    private string NewId()
    {
        Span<char> chars = stackalloc char[20];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[_random.Next(32)];
        }

        return new string(chars);
    }

    private enum AttemptPhase
    {
        Initial,
        Reattempt,
        Reminder,
    }

    private enum DutyEventKind
    {
        None,
        Deadline,
        Reminder,
        Attempt,
        Notice,
    }

    private enum PatientEventKind
    {
        Renewal,
        Trigger,
        Medication,
    }

    private sealed record PatientEvent(PatientEventKind Kind, SimEpisode Episode, ScheduledTrigger? Trigger);

    private sealed class SimEpisode(LegalStatusEpisode row, ProvisionRule rule, string name)
    {
        public LegalStatusEpisode Row { get; } = row;

        public ProvisionRule Rule { get; } = rule;

        public string Name { get; } = name;

        public int LastOp { get; set; }

        public List<ScheduledTrigger> PendingTriggers { get; } = [];
    }

    private sealed class SimDuty(RightsDuty row, DutyRule rule, string name, TimeSpan sla)
    {
        public RightsDuty Row { get; } = row;

        public DutyRule Rule { get; } = rule;

        public string Name { get; } = name;

        public TimeSpan Sla { get; } = sla;

        public int LastOp { get; set; }

        public DateTime? NextAttempt { get; set; }

        public AttemptPhase Phase { get; set; }

        public (DateTime At, DutyState Outcome)? NoticePlan { get; set; }

        public DutyEventKind PendingEvent { get; private set; }

        public bool IsOpen => DutyWorkflow.IsOpen(Row.State);

        /// <summary>The next thing that happens to this duty by itself, and what it is.</summary>
        public DateTime? NextEventTime()
        {
            PendingEvent = DutyEventKind.None;
            DateTime? best = null;
            void Consider(DateTime? at, DutyEventKind kind)
            {
                if (at is { } t && (best is null || t < best))
                {
                    best = t;
                    PendingEvent = kind;
                }
            }

            if (Rule.IsNotice)
            {
                Consider(NoticePlan?.At, DutyEventKind.Notice);
                if (Row.State == DutyState.Due && Row.DueTime < best.GetValueOrDefault(DateTime.MaxValue))
                {
                    Consider(Row.DueTime, DutyEventKind.Deadline);
                }

                return best;
            }

            switch (Row.State)
            {
                case DutyState.Due or DutyState.ReminderDue:
                    Consider(NextAttempt, DutyEventKind.Attempt);
                    if (Row.DueTime is { } due && due < best.GetValueOrDefault(DateTime.MaxValue))
                    {
                        Consider(due, DutyEventKind.Deadline);
                    }

                    break;
                case DutyState.Overdue or DutyState.ReattemptScheduled:
                    Consider(NextAttempt, DutyEventKind.Attempt);
                    break;
                case DutyState.Understood:
                    Consider(Row.NextReminderTime, DutyEventKind.Reminder);
                    break;
                default:
                    break;
            }

            return best;
        }
    }

    private static class Names
    {
        public static string Patient(string id) => $"patients/{id}";

        public static string Episode(string patientId, string id) => $"patients/{patientId}/episodes/{id}";

        public static string Duty(string patientId, string id) => $"patients/{patientId}/duties/{id}";

        public static string Attempt(string patientId, string dutyId, string id) => $"patients/{patientId}/duties/{dutyId}/attempts/{id}";

        public static string AdjustmentRecord(string patientId) => $"patients/{patientId}/adjustmentRecord";

        public static string AdjustmentItem(string patientId, string id) => $"patients/{patientId}/adjustmentRecord/items/{id}";
    }
}

/// <summary>One duty the record-attempt load may explain: its name parts, version (etag) and the communication
/// need categories an attempt must address.</summary>
internal sealed record WorkloadDuty(string PatientId, string DutyId, long Version, string NeedCategories);
