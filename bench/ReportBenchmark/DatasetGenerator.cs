using System.Diagnostics;
using System.Globalization;
using MhaRights.Server.Audit;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Patients;
using MhaRights.Server.Persistence;
using MhaRights.Server.Reporting;
using MhaRights.Server.Rights;
using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Rights.Rules;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace MhaRights.ReportBenchmark;

/// <summary>What was generated.</summary>
internal sealed record DatasetSummary(long Patients, long Episodes, long Duties, long Attempts, long AuditEvents, TimeSpan Elapsed);

/// <summary>
/// A realistic, reproducible (fixed seed) MHA office history written straight into the service's SQLite schema:
/// patients with an ethnicity/sex/age mix, chains of legal status episodes (s136/s5(2)/s4 → s2 → s3 → CTO → recall →
/// revocation...), the duties the rule book opens for each provision, explanation attempts with realistic delays
/// and outcomes (some not understood and re-attempted, some corrected or voided), re-explanations on renewal,
/// tribunal windows and periodic reminders, nearest-relative copies, s133 notices, and a hash-chained audit trail
/// of every transition (valid chain: AuditChain verifies it).
/// </summary>
internal sealed class DatasetGenerator
{
    /// <summary>Episodes start in [PeriodStart, PeriodEnd): exactly the 5 years a report may cover.</summary>
    public static readonly DateTime PeriodStart = new(2021, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static readonly DateTime PeriodEnd = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Nothing is recorded after this (the benchmark's "now" is later).</summary>
    public static readonly DateTime RecordedUntil = new(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private const int BatchRows = 100_000;

    private static readonly string[] Hospitals = ["RXM01", "RXM02", "RXM03", "RXM04", "RXM05", "RXM06"];
    private static readonly string[] Wards = ["ASH", "BIRCH", "CEDAR", "ELM", "OAK"];

    // Ethnic category mix loosely after detention statistics (Black groups over-represented relative to population).
    private static readonly (string? Code, double Weight)[] Ethnicities =
    [
        ("A", 52), ("B", 1.5), ("C", 6), ("D", 1.5), ("E", 0.8), ("F", 0.7), ("G", 1.2), ("H", 2.5), ("J", 2.5), ("K", 1),
        ("L", 2), ("M", 3.5), ("N", 5), ("P", 2), ("R", 0.5), ("S", 3), ("Z", 5), ("99", 4), (null, 5.3),
    ];

    private static readonly (Provision Provision, double Weight)[] FirstProvisions =
    [
        (Provision.Section136, 14), (Provision.Section135, 2), (Provision.Section5_2, 8), (Provision.Section5_4, 3), (Provision.Section4, 2),
        (Provision.Section2, 38), (Provision.Section3, 18), (Provision.Section37, 4), (Provision.Section37_41, 2), (Provision.Section35, 1),
        (Provision.Section38, 1), (Provision.Section47_49, 1), (Provision.Section48_49, 1), (Provision.CommunityTreatmentOrder, 3),
        (Provision.Guardianship7, 1.5),
    ];

    private readonly Random _random;
    private readonly int _targetEpisodes;
    private readonly RightsRuleSet _rules = RightsRuleBook.Default.ForInstant(Instant.FromDateTimeUtc(PeriodStart));
    private readonly TrustPolicy _policy = new();
    private long _sequence;
    private string _previousHash = AuditLog.GenesisHash;
    private long _patients;
    private long _episodes;
    private long _duties;
    private long _attempts;
    private long _rows;

    private BulkWriter<Patient> _patientWriter = null!;
    private BulkWriter<LegalStatusEpisode> _episodeWriter = null!;
    private BulkWriter<RightsDuty> _dutyWriter = null!;
    private BulkWriter<ExplanationAttempt> _attemptWriter = null!;
    private BulkWriter<AuditEvent> _auditWriter = null!;
    private BulkWriter<ScheduledTrigger> _triggerWriter = null!;

    public DatasetGenerator(int targetEpisodes, int seed)
    {
        _targetEpisodes = targetEpisodes;
        _random = new Random(seed);
    }

    public DatasetSummary Generate(MhaRightsDbContext model, SqliteConnection connection, Action<string> progress)
    {
        var clock = Stopwatch.StartNew();
        using (var pragma = connection.CreateCommand())
        {
            // Bulk load: no journal, no fsync, big cache. The file is a throw-away benchmark database.
            pragma.CommandText = "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF; PRAGMA cache_size=-1000000; PRAGMA temp_store=MEMORY;";
            pragma.ExecuteNonQuery();
        }

        using (_patientWriter = new BulkWriter<Patient>(model, connection))
        using (_episodeWriter = new BulkWriter<LegalStatusEpisode>(model, connection))
        using (_dutyWriter = new BulkWriter<RightsDuty>(model, connection))
        using (_attemptWriter = new BulkWriter<ExplanationAttempt>(model, connection))
        using (_auditWriter = new BulkWriter<AuditEvent>(model, connection))
        using (_triggerWriter = new BulkWriter<ScheduledTrigger>(model, connection))
        {
            var transaction = Begin(connection);
            var reported = 0L;
            while (_episodes < _targetEpisodes)
            {
                GeneratePatient();
                if (_rows >= BatchRows)
                {
                    transaction.Commit();
                    transaction.Dispose();
                    transaction = Begin(connection);
                    _rows = 0;
                }

                if (_episodes - reported >= 100_000)
                {
                    reported = _episodes;
                    progress(string.Create(CultureInfo.InvariantCulture, $"  {_episodes:N0} episodes, {_duties:N0} duties, {_attempts:N0} attempts, {_sequence:N0} audit events ({clock.Elapsed.TotalSeconds:F0} s)"));
                }
            }

            transaction.Commit();
            transaction.Dispose();
        }

        using (var analyze = connection.CreateCommand())
        {
            analyze.CommandText = "PRAGMA journal_mode=WAL; ANALYZE;";
            analyze.ExecuteNonQuery();
        }

        return new DatasetSummary(_patients, _episodes, _duties, _attempts, _sequence, clock.Elapsed);
    }

    private SqliteTransaction Begin(SqliteConnection connection)
    {
        var transaction = connection.BeginTransaction();
        _patientWriter.Transaction = transaction;
        _episodeWriter.Transaction = transaction;
        _dutyWriter.Transaction = transaction;
        _attemptWriter.Transaction = transaction;
        _auditWriter.Transaction = transaction;
        _triggerWriter.Transaction = transaction;
        return transaction;
    }

    private void GeneratePatient()
    {
        var start = PeriodStart + TimeSpan.FromMinutes(_random.NextDouble() * (PeriodEnd - PeriodStart).TotalMinutes);
        var age = (int)Math.Clamp(Normal(38, 15), 14, 92);
        var dateOfBirth = _random.NextDouble() < 0.03 ? (DateOnly?)null : DateOnly.FromDateTime(start.AddYears(-age).AddDays(-_random.Next(0, 365)));
        var hospital = Hospitals[_random.Next(Hospitals.Length)];
        var ward = Wards[_random.Next(Wards.Length)];
        var nr = _random.NextDouble() switch
        {
            < 0.85 => NearestRelativeStatus.Identified,
            < 0.95 => NearestRelativeStatus.NoneIdentified,
            _ => NearestRelativeStatus.Unknown,
        };
        var patient = new Patient
        {
            Id = NewId(),
            LocalId = string.Create(CultureInfo.InvariantCulture, $"RIO-{++_patients:D8}"),
            GivenName = "Test",
            FamilyName = string.Create(CultureInfo.InvariantCulture, $"Patient{_patients}"),
            DateOfBirth = dateOfBirth,
            Sex = _random.NextDouble() switch { < 0.55 => PatientSex.Male, < 0.985 => PatientSex.Female, < 0.99 => PatientSex.Indeterminate, _ => PatientSex.NotKnown },
            EthnicCategory = Pick(Ethnicities),
            Hospital = hospital,
            Ward = ward,
            NearestRelativeStatus = nr,
            NearestRelativeName = nr == NearestRelativeStatus.Identified ? "Sam Relative" : null,
            CreateTime = start.AddMinutes(-5),
            UpdateTime = start,
            Version = 1,
        };
        Write(patient);

        var chain = new Chain(patient, hospital, ward);
        var provision = Pick(FirstProvisions);
        var trigger = provision == Provision.CommunityTreatmentOrder ? DutyTrigger.CtoMade : DutyTrigger.DetentionStart;
        var at = start;
        LegalStatusEpisode? previous = null;
        LegalStatusEpisode? cto = null;
        for (var step = 0; step < 7 && _episodes < _targetEpisodes && at < RecordedUntil; step++)
        {
            var (length, next, nextTrigger, endReason) = Plan(provision, step);
            var end = at + length;
            var episode = new LegalStatusEpisode
            {
                Id = NewId(),
                PatientId = patient.Id,
                Provision = provision,
                SuspendedProvision = provision == Provision.CommunityTreatmentOrder ? (_random.NextDouble() < 0.8 ? Provision.Section3 : Provision.Section37) : null,
                State = EpisodeState.Active,
                Hospital = chain.Hospital,
                Ward = chain.Ward,
                StartTime = at,
                PreviousEpisodeId = trigger == DutyTrigger.CtoRecall ? null : previous?.Id,
                ParentEpisodeId = trigger == DutyTrigger.CtoRecall ? cto?.Id : null,
                CreateTime = at.AddMinutes(Lag()),
                UpdateTime = at,
                Version = 1,
            };
            _episodes++;
            Audit(at, "StartEpisode", $"patients/{patient.Id}/episodes/{episode.Id}", patient.Id, null, "Active", provision.ToString());
            var rule = _rules[provision];
            var ends = end < RecordedUntil;
            var span = (ends ? end : RecordedUntil) - at;
            var renewals = IsRenewable(provision) ? (int)(span.TotalDays / 183) : 0;

            episode.RenewalCount = renewals;
            OpenDuties(chain, episode, rule, trigger, at, ends ? end : RecordedUntil, renewals, ends && next is null);
            if (ends)
            {
                episode.EndTime = end;
                episode.EndReason = endReason;
                episode.State = next is null ? EpisodeState.Ended : EpisodeState.Superseded;
                episode.UpdateTime = end.AddMinutes(Lag());
            }

            if (_random.NextDouble() < 0.0005)
            {
                // The occasional episode recorded by mistake.
                episode.EndReason = EpisodeEndReason.EnteredInError;
                episode.State = EpisodeState.Ended;
                episode.EndTime ??= at.AddHours(1);
            }

            Write(episode);
            if (!ends || next is null)
            {
                break;
            }

            if (provision == Provision.CommunityTreatmentOrder)
            {
                cto = episode;
            }

            previous = episode;
            at = end;
            provision = next.Value;
            trigger = nextTrigger;
        }
    }

    /// <summary>How long this provision lasts and what follows it.</summary>
    private (TimeSpan Length, Provision? Next, DutyTrigger Trigger, EpisodeEndReason EndReason) Plan(Provision provision, int step)
    {
        var r = _random.NextDouble();
        var discharge = _random.NextDouble() < 0.8 ? EpisodeEndReason.DischargedByResponsibleClinician : EpisodeEndReason.Expired;
        switch (provision)
        {
            case Provision.Section136 or Provision.Section135:
                return r < 0.55 ? (Hours(6, 22), Provision.Section2, DutyTrigger.ChangeOfProvision, EpisodeEndReason.ProvisionChanged) : (Hours(4, 24), null, DutyTrigger.Unspecified, EpisodeEndReason.Expired);
            case Provision.Section5_2 or Provision.Section4:
                return r < 0.65 ? (Hours(10, 70), r < 0.5 ? Provision.Section2 : Provision.Section3, DutyTrigger.ChangeOfProvision, EpisodeEndReason.ProvisionChanged) : (Hours(12, 72), null, DutyTrigger.Unspecified, EpisodeEndReason.Expired);
            case Provision.Section5_4:
                return r < 0.5 ? (Hours(1, 6), Provision.Section5_2, DutyTrigger.ChangeOfProvision, EpisodeEndReason.ProvisionChanged) : (Hours(1, 6), null, DutyTrigger.Unspecified, EpisodeEndReason.Expired);
            case Provision.Section2:
                return r < 0.35 ? (Days(8, 27), Provision.Section3, DutyTrigger.ChangeOfProvision, EpisodeEndReason.ProvisionChanged) : (Days(5, 28), null, DutyTrigger.Unspecified, discharge);
            case Provision.Section3 or Provision.Section37:
                return r < 0.2 && step < 5 ? (Days(40, 500), Provision.CommunityTreatmentOrder, DutyTrigger.CtoMade, EpisodeEndReason.ProvisionChanged) : (Days(30, 600), null, DutyTrigger.Unspecified, discharge);
            case Provision.CommunityTreatmentOrder:
                return r < 0.18 && step < 5 ? (Days(20, 300), Provision.CommunityTreatmentOrderRecall, DutyTrigger.CtoRecall, EpisodeEndReason.Unspecified) : (Days(120, 700), null, DutyTrigger.Unspecified, discharge);
            case Provision.CommunityTreatmentOrderRecall:
                return r < 0.4 ? (Hours(12, 70), Provision.Section3, DutyTrigger.CtoRevoked, EpisodeEndReason.CommunityTreatmentOrderRevoked) : (Hours(6, 72), null, DutyTrigger.Unspecified, EpisodeEndReason.ReleasedFromRecall);
            case Provision.Section35 or Provision.Section38:
                return r < 0.4 ? (Days(20, 80), Provision.Section37, DutyTrigger.ChangeOfProvision, EpisodeEndReason.ProvisionChanged) : (Days(20, 80), null, DutyTrigger.Unspecified, EpisodeEndReason.Other);
            default:
                return (Days(60, 900), null, DutyTrigger.Unspecified, discharge);
        }
    }

    private static bool IsRenewable(Provision provision) => provision is Provision.Section3 or Provision.Section37 or Provision.CommunityTreatmentOrder or Provision.Guardianship7;

    /// <summary>Opens the duties DutyRules gives this provision, plays out their explanations and notices, then ends them.</summary>
    private void OpenDuties(Chain chain, LegalStatusEpisode episode, ProvisionRule rule, DutyTrigger trigger, DateTime at, DateTime until, int renewals, bool closesAll)
    {
        // Provision-scoped duties of the previous episode end now (superseded); the chain keeps hospital and qualifying duties.
        foreach (var duty in DutyRules.OnLegalStatusChange)
        {
            var applies = duty.AppliesTo(rule);
            switch (duty.Scope)
            {
                case DutyScope.Provision when applies:
                    PlayDuty(chain, episode, duty, trigger, at, until, renewals, closesAll);
                    break;
                case DutyScope.Hospital:
                    if (applies && !chain.HospitalDutyOpen)
                    {
                        chain.HospitalDutyOpen = true;
                        PlayDuty(chain, episode, duty, trigger, at, until, 0, closesAll);
                    }

                    break;
                case DutyScope.QualifyingPeriod:
                    if (applies && !chain.Qualifying.Contains(duty.Kind))
                    {
                        chain.Qualifying.Add(duty.Kind);
                        PlayDuty(chain, episode, duty, trigger, at, until, 0, closesAll);
                    }

                    break;
                default:
                    break;
            }
        }

        if (closesAll && until < RecordedUntil && rule.IsDetention && _random.NextDouble() < 0.35)
        {
            // A planned discharge: the s133 notice opens ~10 days before, due 7 days before.
            var opened = until.AddDays(-10) < at ? at : until.AddDays(-10);
            PlayNotice(chain, episode, DutyRules.DischargeNotice, DutyTrigger.DischargePlanned, opened, until.AddDays(-7), until);
        }
    }

    private void PlayDuty(Chain chain, LegalStatusEpisode episode, DutyRule rule, DutyTrigger trigger, DateTime at, DateTime until, int renewals, bool closesAll)
    {
        if (rule.IsNotice)
        {
            PlayNotice(chain, episode, rule, trigger, at, Calendar(at, 7), until);
            return;
        }

        var duty = NewDuty(chain.Patient, episode, rule.Kind, trigger, at);
        duty.DueTime = at + _policy.SlaFor(episode.Provision).ToTimeSpan();
        var resource = $"patients/{duty.PatientId}/duties/{duty.Id}";
        Audit(at, "OpenDuty", resource, duty.PatientId, null, nameof(DutyState.Due), trigger.ToString(), rule.Citation);
        var sla = _policy.SlaFor(episode.Provision).ToTimeSpan();
        var state = DutyState.Due;
        var standing = new List<ExplanationAttempt>();
        var imhaQualifying = _rules[episode.Provision].ImhaQualifying;

        // First attempt: most within the SLA, a tail well beyond it, a few never before the duty ends.
        var time = at + (sla * Math.Exp(Normal(Math.Log(0.3), 0.9)));
        if (_random.NextDouble() < 0.05)
        {
            time = DateTime.MaxValue;
        }

        if (time > duty.DueTime && duty.DueTime < until)
        {
            Audit(duty.DueTime!.Value, "DeadlinePassed", resource, duty.PatientId, nameof(DutyState.Due), nameof(DutyState.Overdue), "DeadlinePassed");
            state = DutyState.Overdue;
        }

        var attemptsLeft = 4;
        while (time < until && attemptsLeft-- > 0)
        {
            var outcome = _random.NextDouble() switch
            {
                < 0.74 => AttemptOutcome.Understood,
                < 0.84 => AttemptOutcome.PartlyUnderstood,
                < 0.93 => AttemptOutcome.NotUnderstood,
                < 0.97 => AttemptOutcome.Declined,
                _ => AttemptOutcome.Unable,
            };
            var attempt = Attempt(duty, time, outcome, imhaQualifying && (rule.Kind == DutyKind.Section130D || _random.NextDouble() < 0.7), standing);
            if (outcome == AttemptOutcome.Understood)
            {
                Audit(time, nameof(Server.Workflow.DutyEvent.AttemptUnderstood), resource, duty.PatientId, state.ToString(), nameof(DutyState.Understood), duty.LastTrigger.ToString());
                state = DutyState.Understood;
                duty.UnderstoodTime = time;
                break;
            }

            Audit(time, nameof(Server.Workflow.DutyEvent.AttemptUnsuccessful), resource, duty.PatientId, state.ToString(), nameof(DutyState.Attempted), duty.LastTrigger.ToString());
            duty.NextAttemptTime = attempt.NextAttemptTime ?? time + _policy.ReattemptInterval.ToTimeSpan();
            duty.LastTrigger = DutyTrigger.NotUnderstood;
            Audit(time, nameof(Server.Workflow.DutyEvent.ScheduleReattempt), resource, duty.PatientId, nameof(DutyState.Attempted), nameof(DutyState.ReattemptScheduled), nameof(DutyTrigger.NotUnderstood));
            state = DutyState.ReattemptScheduled;
            // Most re-attempts happen around the planned time; some are missed altogether.
            time = _random.NextDouble() < 0.85 ? duty.NextAttemptTime.Value + TimeSpan.FromHours(Normal(0, 12)) : DateTime.MaxValue;
        }

        // Re-explanations on s132(1)/s132A while the episode lasts: renewals, tribunal windows, periodic reminders.
        if (rule.HasPeriodicReminder && state == DutyState.Understood)
        {
            var events = new List<(DateTime At, DutyTrigger Trigger)>();
            for (var i = 1; i <= renewals; i++)
            {
                events.Add((Calendar(episode.StartTime, 0, months: (6 * i) - 1), DutyTrigger.Renewal));
            }

            if (_rules[episode.Provision].HasOwnTribunalRight)
            {
                for (var m = 6; episode.StartTime.AddMonths(m) < until; m += 6)
                {
                    events.Add((episode.StartTime.AddMonths(m), DutyTrigger.TribunalWindow));
                }
            }

            for (var m = 3; duty.UnderstoodTime!.Value.AddMonths(m) < until; m += 3)
            {
                events.Add((duty.UnderstoodTime.Value.AddMonths(m), DutyTrigger.Periodic));
            }

            foreach (var (raisedAt, cause) in events.Where(e => e.At > duty.UnderstoodTime && e.At < until).OrderBy(e => e.At).Take(8))
            {
                if (cause == DutyTrigger.TribunalWindow)
                {
                    // The deadline sweeper fires the episode's scheduled tribunal-window trigger.
                    _triggerWriter.Write(new ScheduledTrigger
                    {
                        Id = NewId(),
                        PatientId = duty.PatientId,
                        EpisodeId = episode.Id,
                        Trigger = DutyTrigger.TribunalWindow,
                        FireTime = raisedAt,
                        FiredTime = raisedAt.AddMinutes(1),
                        Label = "Tribunal window opens",
                        Version = 1,
                    });
                    _rows++;
                }

                if (state != DutyState.Understood)
                {
                    break;
                }

                Audit(raisedAt, cause == DutyTrigger.Periodic ? "ReminderFallsDue" : "ReexplanationRaised", resource, duty.PatientId, nameof(DutyState.Understood), nameof(DutyState.ReminderDue), cause.ToString());
                duty.LastTrigger = cause;
                duty.DueTime = raisedAt + sla;
                state = DutyState.ReminderDue;
                var answered = raisedAt + (sla * Math.Exp(Normal(Math.Log(0.5), 1.0)));
                if (_random.NextDouble() < 0.8 && answered < until)
                {
                    var outcome = _random.NextDouble() < 0.92 ? AttemptOutcome.Understood : AttemptOutcome.PartlyUnderstood;
                    Attempt(duty, answered, outcome, imhaQualifying && _random.NextDouble() < 0.5, standing);
                    if (outcome == AttemptOutcome.Understood)
                    {
                        Audit(answered, nameof(Server.Workflow.DutyEvent.AttemptUnderstood), resource, duty.PatientId, nameof(DutyState.ReminderDue), nameof(DutyState.Understood), cause.ToString());
                        duty.UnderstoodTime = answered;
                        state = DutyState.Understood;
                    }
                    else
                    {
                        Audit(answered, nameof(Server.Workflow.DutyEvent.AttemptUnsuccessful), resource, duty.PatientId, nameof(DutyState.ReminderDue), nameof(DutyState.Attempted), cause.ToString());
                        Audit(answered, nameof(Server.Workflow.DutyEvent.ScheduleReattempt), resource, duty.PatientId, nameof(DutyState.Attempted), nameof(DutyState.ReattemptScheduled), nameof(DutyTrigger.NotUnderstood));
                        duty.NextAttemptTime = answered + _policy.ReattemptInterval.ToTimeSpan();
                        duty.LastTrigger = DutyTrigger.NotUnderstood;
                        state = DutyState.ReattemptScheduled;
                    }
                }
                else if (raisedAt + sla < until)
                {
                    Audit(raisedAt + sla, "DeadlinePassed", resource, duty.PatientId, nameof(DutyState.ReminderDue), nameof(DutyState.Overdue), "DeadlinePassed");
                    state = DutyState.Overdue;
                }
            }
        }

        duty.FirstAttemptTime = standing.Count == 0 ? null : standing.Min(a => a.AttemptTime);
        duty.AttemptCount = standing.Count;
        DutyReportFacts.Apply(duty, standing.Select(StandingAttempt.Of));
        if (state == DutyState.Understood)
        {
            duty.NextAttemptTime = null;
        }

        if (until < RecordedUntil)
        {
            var end = closesAll || rule.Scope == DutyScope.Provision ? (closesAll ? DutyState.Closed : DutyState.Superseded) : state;
            if (end != state)
            {
                Audit(until, end == DutyState.Closed ? "Close" : "Supersede", resource, duty.PatientId, state.ToString(), end.ToString(), end == DutyState.Closed ? "Close" : "Supersede");
                duty.ResolvedTime = until;
                duty.ResolutionNote = end == DutyState.Closed ? "The legal authority ended." : "Replaced by a duty for the new legal position.";
                state = end;
            }
        }

        duty.State = state;
        duty.UpdateTime = until < RecordedUntil ? until : at;
        Write(duty);
        foreach (var attempt in standing)
        {
            Write(attempt);
        }
    }

    private void PlayNotice(Chain chain, LegalStatusEpisode episode, DutyRule rule, DutyTrigger trigger, DateTime at, DateTime due, DateTime until)
    {
        var duty = NewDuty(chain.Patient, episode, rule.Kind, trigger, at);
        duty.DueTime = due;
        var resource = $"patients/{duty.PatientId}/duties/{duty.Id}";
        Audit(at, "OpenDuty", resource, duty.PatientId, null, nameof(DutyState.Due), trigger.ToString(), rule.Citation);
        var state = DutyState.Due;
        if (chain.Patient.NearestRelativeStatus == NearestRelativeStatus.NoneIdentified)
        {
            Resolve(DutyState.NotRequired, at, "No nearest relative identified.");
        }
        else
        {
            var r = _random.NextDouble();
            var sent = at + TimeSpan.FromDays(_random.NextDouble() * (r < 0.8 ? (due - at).TotalDays : 20));
            if (r < 0.08)
            {
                Resolve(DutyState.NotRequired, at + TimeSpan.FromHours(2), "The patient objects: does not want the nearest relative told.");
            }
            else if (r < 0.93 && sent < until)
            {
                if (sent > due && due < until)
                {
                    Audit(due, "DeadlinePassed", resource, duty.PatientId, nameof(DutyState.Due), nameof(DutyState.Overdue), "DeadlinePassed");
                    state = DutyState.Overdue;
                }

                Resolve(DutyState.Sent, sent, "Sent by post to Sam Relative.");
            }
            else if (due < until)
            {
                Audit(due, "DeadlinePassed", resource, duty.PatientId, nameof(DutyState.Due), nameof(DutyState.Overdue), "DeadlinePassed");
                state = DutyState.Overdue;
            }
        }

        if (state is DutyState.Due or DutyState.Overdue && until < RecordedUntil)
        {
            Resolve(rule.Scope == DutyScope.Provision && _random.NextDouble() < 0.5 ? DutyState.Superseded : DutyState.Closed, until, "The legal authority ended.");
        }

        duty.State = state;
        duty.UpdateTime = duty.ResolvedTime ?? at;
        Write(duty);

        void Resolve(DutyState to, DateTime when, string note)
        {
            Audit(when, to == DutyState.Sent ? "NoticeSent" : to == DutyState.NotRequired ? "NoticeNotRequired" : to.ToString(), resource, duty.PatientId, state.ToString(), to.ToString(), to.ToString(), note);
            duty.ResolvedTime = when;
            duty.ResolutionNote = note;
            state = to;
        }
    }

    private RightsDuty NewDuty(Patient patient, LegalStatusEpisode episode, DutyKind kind, DutyTrigger trigger, DateTime at)
    {
        _duties++;
        return new RightsDuty
        {
            Id = NewId(),
            PatientId = patient.Id,
            EpisodeId = episode.Id,
            Kind = kind,
            State = DutyState.Due,
            Trigger = trigger,
            LastTrigger = trigger,
            Provision = episode.Provision,
            Hospital = episode.Hospital,
            Ward = episode.Ward,
            OpenTime = at,
            UpdateTime = at,
            Version = 1,
        };
    }

    /// <summary>A standing attempt (1% are later corrected, 0.5% voided: both rows are kept as the service does).</summary>
    private ExplanationAttempt Attempt(RightsDuty duty, DateTime time, AttemptOutcome outcome, bool imha, List<ExplanationAttempt> standing)
    {
        var attempt = NewAttempt(duty, time, outcome, imha);
        var resource = $"patients/{duty.PatientId}/duties/{duty.Id}/attempts/{attempt.Id}";
        Audit(attempt.CreateTime, "RecordExplanationAttempt", resource, duty.PatientId, null, outcome.ToString(), duty.LastTrigger.ToString());
        var r = _random.NextDouble();
        if (r < 0.015)
        {
            attempt.VoidTime = attempt.CreateTime.AddDays(_random.Next(1, 30));
            attempt.VoidReason = "Recorded against the wrong patient episode";
            if (r < 0.01)
            {
                attempt.State = AttemptState.Corrected;
                Audit(attempt.VoidTime.Value, "SupersedeAttemptByCorrection", resource, duty.PatientId, nameof(AttemptState.Recorded), nameof(AttemptState.Corrected), null, attempt.VoidReason);
                var replacement = NewAttempt(duty, time.AddMinutes(-_random.Next(0, 60)), outcome, imha);
                replacement.CreateTime = attempt.VoidTime.Value;
                replacement.CorrectsId = attempt.Id;
                attempt.CorrectedById = replacement.Id;
                Audit(replacement.CreateTime, "CorrectExplanationAttempt", $"patients/{duty.PatientId}/duties/{duty.Id}/attempts/{replacement.Id}", duty.PatientId, null, outcome.ToString(), duty.LastTrigger.ToString());
                Write(attempt);
                standing.Add(replacement);
                return replacement;
            }

            attempt.State = AttemptState.Voided;
            Audit(attempt.VoidTime.Value, "VoidExplanationAttempt", resource, duty.PatientId, nameof(AttemptState.Recorded), nameof(AttemptState.Voided), null, attempt.VoidReason);
            Write(attempt);
            return attempt;
        }

        standing.Add(attempt);
        return attempt;
    }

    private ExplanationAttempt NewAttempt(RightsDuty duty, DateTime time, AttemptOutcome outcome, bool imha)
    {
        _attempts++;
        var unmet = _random.NextDouble() < 0.04 ? 1 : 0;
        return new ExplanationAttempt
        {
            Id = NewId(),
            DutyId = duty.Id,
            PatientId = duty.PatientId,
            AttemptTime = time,
            ExplainedBy = string.Create(CultureInfo.InvariantCulture, $"Nurse {_random.Next(1, 400)}"),
            ExplainedByRole = "Staff nurse",
            Provision = duty.Provision,
            Trigger = duty.LastTrigger,
            OralGiven = true,
            WrittenGiven = _random.NextDouble() < 0.9,
            LeafletId = "DH-LEAFLET",
            LeafletVersion = "2024-01",
            LeafletLanguage = "en",
            InterpreterUsed = _random.NextDouble() < 0.05,
            Outcome = outcome,
            ImhaInformationGiven = imha,
            NearestRelativeSharing = NearestRelativeSharing.Agrees,
            NextAttemptTime = outcome == AttemptOutcome.Understood ? null : time.AddHours(_random.Next(24, 96)),
            UnmetCommunicationNeeds = unmet,
            CommunicationNeedsJson = unmet == 0 ? null : "[{\"CategoryCode\":\"002\",\"Met\":false,\"Detail\":\"No BSL interpreter available\"}]",
            State = AttemptState.Recorded,
            RecordedByPrincipal = "epr-integration-key",
            RecordedByRole = "epr-integration",
            CreateTime = time.AddMinutes(Lag()),
            Version = 1,
        };
    }

    private void Audit(DateTime time, string action, string resource, string? patientId, string? from, string? to, string? trigger, string? reason = null)
    {
        var evt = new AuditEvent
        {
            Sequence = ++_sequence,
            EventTime = time.AddSeconds(_random.Next(0, 300)),
            ActorPrincipal = "epr-integration-key",
            ActorRole = "epr-integration",
            Action = action,
            Resource = resource,
            PatientId = patientId,
            FromState = from,
            ToState = to,
            Trigger = trigger,
            Reason = reason,
            PreviousHash = _previousHash,
            Hash = string.Empty,
        };
        evt.Hash = AuditLog.ComputeHash(evt);
        _previousHash = evt.Hash;
        Write(evt);
    }

    private void Write(Patient row)
    {
        _patientWriter.Write(row);
        _rows++;
    }

    private void Write(LegalStatusEpisode row)
    {
        _episodeWriter.Write(row);
        _rows++;
    }

    private void Write(RightsDuty row)
    {
        _dutyWriter.Write(row);
        _rows++;
    }

    private void Write(ExplanationAttempt row)
    {
        _attemptWriter.Write(row);
        _rows++;
    }

    private void Write(AuditEvent row)
    {
        _auditWriter.Write(row);
        _rows++;
    }

    private static DateTime Calendar(DateTime from, int days, int months = 0) => from.AddMonths(months).AddDays(days);

    /// <summary>Minutes between an event and its recording: usually minutes, sometimes a day.</summary>
    private double Lag() => _random.NextDouble() < 0.9 ? _random.Next(1, 60) : _random.Next(60, 1440);

    private TimeSpan Hours(double min, double max) => TimeSpan.FromHours(min + (_random.NextDouble() * (max - min)));

    private TimeSpan Days(double min, double max) => TimeSpan.FromDays(min + (_random.NextDouble() * (max - min)));

    private double Normal(double mean, double sd)
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return mean + (sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }

    private T Pick<T>((T Value, double Weight)[] options)
    {
        var total = options.Sum(o => o.Weight);
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

    private string NewId()
    {
        Span<char> chars = stackalloc char[20];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[_random.Next(32)];
        }

        return new string(chars);
    }

    /// <summary>Per-patient state carried across the episodes of one chain.</summary>
    private sealed class Chain(Patient patient, string hospital, string ward)
    {
        public Patient Patient { get; } = patient;

        public string Hospital { get; } = hospital;

        public string Ward { get; } = ward;

        public bool HospitalDutyOpen { get; set; }

        public HashSet<DutyKind> Qualifying { get; } = [];
    }
}
