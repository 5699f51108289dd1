using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.LegalStatus;

/// <summary>
/// Issue 14: the less common law, end to end through the gRPC stack. Each test is named after the rule and cites
/// its section (section-132.md §3.1-§3.3, §1.1-§1.3).
/// </summary>
public sealed class LegalCorrectnessScenarioTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    // §3.1: s4 72h, s5(2) 72h, s5(4) 6h, s135/s136 24h (hours: real elapsed time); s2 28 days and s3 6 months
    // (the computed expiry, which is also the renewal date).
    [Theory]
    [InlineData(Provision.Section4, 72)]
    [InlineData(Provision.Section52, 72)]
    [InlineData(Provision.Section54, 6)]
    [InlineData(Provision.Section135, 24)]
    [InlineData(Provision.Section136, 24)]
    [InlineData(Provision.Section2, 0)]
    [InlineData(Provision.Section3, 0)]
    public async Task LapsedAuthority_PassesItsEndWithNoChangeRecorded_FlaggedLapsedNotSilentlyActive(Provision provision, int hours)
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var episode = await app.StartAsync(patient, provision);
        var expiry = episode.ExpiryTime.ToDateTimeOffset();
        if (hours > 0)
        {
            Assert.Equal(TimeSpan.FromHours(hours), expiry - episode.StartTime.ToDateTimeOffset());
        }

        await app.AdvanceAndSweepAsync(expiry - app.Clock.GetUtcNow() - Minute);
        var before = await GetAsync(app, episode.Name);
        Assert.False(before.Lapsed);

        var swept = await app.AdvanceAndSweepAsync(2 * Minute);

        Assert.Equal(1, swept.Lapsed);
        var after = await GetAsync(app, episode.Name);
        Assert.True(after.Lapsed);
        Assert.Equal(LegalStatusEpisode.Types.State.Active, after.State);
        Assert.Equal(expiry, after.LapseTime.ToDateTimeOffset());
        Assert.NotEmpty(after.LapseTimeLocal);
        var lapsedList = await app.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.LapsedAuthorities, Hospital = "RXM01" });
        var item = Assert.Single(lapsedList.Items, i => i.Episode?.Name == episode.Name);
        Assert.Null(item.Duty);
        Assert.Contains("lapsed", item.Reason, StringComparison.Ordinal);
        var audit = (await app.Audit.ListAuditEventsAsync(new ListAuditEventsRequest { ResourcePrefix = episode.Name, PageSize = 200 })).Events;
        Assert.Single(audit, e => e.Action == "AuthorityLapsed");
        Assert.Equal(0, (await app.AdvanceAndSweepAsync(Minute)).Lapsed);
    }

    [Fact]
    public async Task LapsedAuthority_Section136PastTwentyFourHours_ExplanationDutiesLeaveTheWorklistsWithTheReasonAndLateRecordsStillFit()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var episode = await app.StartAsync(patient, Provision.Section136);
        var started = app.Clock.GetUtcNow();
        Assert.NotEmpty(await OpenExplanationsAsync(app, patient));

        await app.AdvanceAndSweepAsync(TimeSpan.FromHours(24) + Minute);

        var held = await OpenExplanationsAsync(app, patient);
        Assert.Contains(held, d => d.Kind == DutyKind.Section1321);
        Assert.All(held, d => Assert.Equal(episode.ExpiryTime, d.AuthorityLapseTime));
        foreach (var kind in new[] { WorklistKind.ExplanationsDue, WorklistKind.ExplanationsOverdue, WorklistKind.ReattemptsDue, WorklistKind.RemindersDue })
        {
            var list = await app.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = kind });
            Assert.DoesNotContain(list.Items, i => i.Patient == patient.Name);
        }

        var duty = Assert.Single(held, d => d.Kind == DutyKind.Section1321);
        var audit = (await app.Audit.ListAuditEventsAsync(new ListAuditEventsRequest { ResourcePrefix = duty.Name, PageSize = 100 })).Events;
        Assert.Contains(audit, e => e.Action == "AuthorityLapsed" && e.Reason.Contains("Authority lapsed", StringComparison.Ordinal));

        // An explanation given while the authority ran can still be recorded afterwards.
        var late = await app.ExplainAsync(duty, AttemptOutcome.Understood, a => a.AttemptTime = Scenario.At(started.AddHours(3)));
        Assert.Equal(RightsDuty.Types.State.Understood, late.Duty.State);

        // Recording what really happened takes it off the lapsed list.
        await app.LegalStatus.EndEpisodeAsync(new EndEpisodeRequest
        {
            Name = episode.Name, EndTime = Scenario.At(app.Clock.GetUtcNow()), EndReason = LegalStatusEpisode.Types.EndReason.Expired,
        });
        var lapsedList = await app.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.LapsedAuthorities });
        Assert.DoesNotContain(lapsedList.Items, i => i.Episode?.Name == episode.Name);
    }

    [Fact]
    public async Task LapsedAuthority_CtoRecallPastSeventyTwoHours_RecallLapsesAndTheCtoDutyStaysOpen()
    {
        // §3.1 s17E: a recall lasts at most 72 hours; the CTO itself continues.
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var cto = await app.StartAsync(patient, Provision.CommunityTreatmentOrder, suspended: Provision.Section3);
        app.Clock.Advance(TimeSpan.FromDays(10));
        var recall = await app.LegalStatus.RecallCommunityPatientAsync(new RecallCommunityPatientRequest
        {
            Name = cto.Name, Hospital = "RXM01", RecallTime = Scenario.At(app.Clock.GetUtcNow()),
        });

        await app.AdvanceAndSweepAsync(TimeSpan.FromHours(72) + Minute);

        Assert.True((await GetAsync(app, recall.CurrentEpisode.Name)).Lapsed);
        Assert.False((await GetAsync(app, cto.Name)).Lapsed);
        var duties = await app.DutiesAsync(patient);
        Assert.Null(Assert.Single(duties, d => d.Kind == DutyKind.Section132A).AuthorityLapseTime);
        Assert.NotNull(Assert.Single(duties, d => d.Episode == recall.CurrentEpisode.Name && d.Kind == DutyKind.Section1321).AuthorityLapseTime);
    }

    [Fact]
    public async Task AuthoritiesExpiring_WithinDays_ListsSection2ExpiringSoonNotSection3()
    {
        await using var app = await TestApp.StartAsync();
        var s2 = await app.StartAsync(await app.CreatePatientAsync(), Provision.Section2);
        var s3 = await app.StartAsync(await app.CreatePatientAsync(), Provision.Section3);

        var within30 = await app.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.AuthoritiesExpiring, WithinDays = 30 });
        var within7 = await app.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.AuthoritiesExpiring, WithinDays = 7 });

        var item = Assert.Single(within30.Items, i => i.Episode?.Name == s2.Name);
        Assert.Equal(s2.ExpiryTime, item.ActionTime);
        Assert.Contains("cannot be renewed", item.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(within30.Items, i => i.Episode?.Name == s3.Name);
        Assert.DoesNotContain(within7.Items, i => i.Episode?.Name == s2.Name);

        // s3: due for renewal once its expiry is within the window.
        app.Clock.Advance(TimeSpan.FromDays(170));
        var renewal = await app.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.AuthoritiesExpiring, WithinDays = 30 });
        Assert.Contains("due for renewal", Assert.Single(renewal.Items, i => i.Episode?.Name == s3.Name).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WorklistKind.AuthoritiesExpiring, 0)]
    [InlineData(WorklistKind.AuthoritiesExpiring, -1)]
    [InlineData(WorklistKind.AuthoritiesExpiring, 367)]
    [InlineData(WorklistKind.ExplanationsDue, 7)]
    public async Task AuthoritiesExpiring_WithinDaysOutOfRangeOrOnAnotherList_InvalidArgumentNamingWithinDays(WorklistKind kind, int withinDays)
    {
        await using var app = await TestApp.StartAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => app.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = kind, WithinDays = withinDays }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("within_days", Assert.Single(ex.BadRequest().FieldViolations).Field);
    }

    [Fact]
    public async Task Section4_ConvertedToSection2_TwentyEightDaysRunFromSection4Admission()
    {
        // §3.1 s4(4), s2(4): the s4 application has effect as the s2 one, so the 28 days and the 14-day window
        // count from the s4 admission day (1 March), not from the change (3 March).
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var s4 = await app.StartAsync(patient, Provision.Section4);
        app.Clock.Advance(TimeSpan.FromHours(50));

        var change = await app.LegalStatus.ChangeProvisionAsync(new ChangeProvisionRequest
        {
            Name = s4.Name, Provision = Provision.Section2, ChangeTime = Scenario.At(app.Clock.GetUtcNow()),
        });

        var s2 = change.CurrentEpisode;
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 0, 0, 0, TimeSpan.Zero), s2.ExpiryTime.ToDateTimeOffset()); // London midnight, still GMT
        Assert.Equal(s4.StartTime, s2.PeriodStartTime);
        Assert.Equal(new Google.Type.Date { Year = 2026, Month = 3, Day = 28 }, s2.Calendar.LastDay);
        var window = Assert.Single(s2.Calendar.TribunalWindows);
        Assert.Equal(new Google.Type.Date { Year = 2026, Month = 3, Day = 14 }, window.LastDay);
    }

    [Fact]
    public async Task StartEpisode_StartBefore3November2008_InvalidArgumentNamingStartTimeNotInternal()
    {
        // The rule book starts at the MHA 2007 commencement (§1.2): older law is refused by name.
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => app.StartAsync(patient, Provision.Section37, new DateTimeOffset(1995, 6, 1, 9, 0, 0, TimeSpan.Zero)));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var violation = Assert.Single(ex.BadRequest().FieldViolations);
        Assert.Equal("episode.start_time", violation.Field);
        Assert.Contains("2008", violation.Description, StringComparison.Ordinal);
        Assert.Empty(await app.DutiesAsync(patient));
    }

    [Fact]
    public async Task StartEpisode_EveryStartTimeTheContractAccepts_NeverInternal()
    {
        // From the 1983 Act's commencement to now, with the rule-set boundaries (MHA 2007, PCA 2017) either side.
        await using var app = await TestApp.StartAsync();
        var now = app.Clock.GetUtcNow();
        var times = new List<DateTimeOffset>
        {
            new(2008, 11, 2, 23, 59, 0, TimeSpan.Zero), new(2008, 11, 3, 0, 0, 0, TimeSpan.Zero),
            new(2017, 12, 10, 23, 59, 0, TimeSpan.Zero), new(2017, 12, 11, 0, 0, 0, TimeSpan.Zero), now,
        };
        for (var t = new DateTimeOffset(1983, 9, 30, 12, 0, 0, TimeSpan.Zero); t < now; t = t.AddDays(397))
        {
            times.Add(t);
        }

        var provisions = Enum.GetValues<Provision>().Where(p => p is not (Provision.Unspecified or Provision.CommunityTreatmentOrderRecall));
        var outcomes = new Dictionary<StatusCode, int>();
        foreach (var provision in provisions)
        {
            var patient = await app.CreatePatientAsync();
            foreach (var start in times)
            {
                var suspended = provision == Provision.CommunityTreatmentOrder ? Provision.Section3 : Provision.Unspecified;
                var code = StatusCode.OK;
                try
                {
                    var episode = await app.StartAsync(patient, provision, start, suspended);
                    await app.LegalStatus.EndEpisodeAsync(new EndEpisodeRequest
                    {
                        Name = episode.Name, EndTime = Scenario.At(start), EndReason = LegalStatusEpisode.Types.EndReason.EnteredInError,
                    });
                }
                catch (RpcException ex)
                {
                    code = ex.StatusCode;
                    Assert.True(code == StatusCode.InvalidArgument, $"{provision} at {start:O}: {ex.Status}");
                }

                outcomes[code] = outcomes.GetValueOrDefault(code) + 1;
            }
        }

        // Both answers were exercised: refusals before 3 Nov 2008, records from then on.
        Assert.True(outcomes.GetValueOrDefault(StatusCode.OK) > 0);
        Assert.True(outcomes.GetValueOrDefault(StatusCode.InvalidArgument) > 0);
    }

    [Theory]
    [InlineData(2010, 6, 1, false)] // 15 on 1 March 2026
    [InlineData(2010, 3, 1, true)] // 16 that day
    public async Task Guardianship7_PatientUnder16AtApplication_InvalidArgumentNamingStartTime(int year, int month, int day, bool allowed)
    {
        // §3.1 s7(1): a guardianship application only for a patient who has attained 16.
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync(p => p.DateOfBirth = new Google.Type.Date { Year = year, Month = month, Day = day });

        if (allowed)
        {
            Assert.Equal(LegalStatusEpisode.Types.State.Active, (await app.StartAsync(patient, Provision.Guardianship7)).State);
            return;
        }

        var ex = await Assert.ThrowsAsync<RpcException>(() => app.StartAsync(patient, Provision.Guardianship7));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var violation = Assert.Single(ex.BadRequest().FieldViolations);
        Assert.Equal("episode.start_time", violation.Field);
        Assert.Contains("16", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenewEpisode_Section2_FailedPreconditionSaysSection2CannotBeRenewed()
    {
        // §3.1 s2(4): not renewable at all - not a "maximum period reached" case.
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var s2 = await app.StartAsync(patient, Provision.Section2);
        app.Clock.Advance(TimeSpan.FromDays(20));

        var ex = await Assert.ThrowsAsync<RpcException>(() => app.LegalStatus.RenewEpisodeAsync(new RenewEpisodeRequest
        {
            Name = s2.Name, RenewalTime = Scenario.At(app.Clock.GetUtcNow()),
        }).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Contains("Section 2 cannot be renewed", ex.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("maximum", ex.Status.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Section19Transfer_ToAnotherHospital_FreshSection132_2DutyForReceivingManagersAndOldOneKeepsItsHospital()
    {
        // §1.1 s132(2), §8.3: detention in a different hospital starts the hospital duty afresh.
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var s3 = await app.StartAsync(patient, Provision.Section3);
        var sending = Assert.Single(await app.DutiesAsync(patient), d => d.Kind == DutyKind.Section1322);
        app.Clock.Advance(TimeSpan.FromDays(3));

        await app.LegalStatus.TransferEpisodeAsync(new TransferEpisodeRequest
        {
            Name = s3.Name, Hospital = "RXM02", Ward = "OAK", TransferTime = Scenario.At(app.Clock.GetUtcNow()),
        });

        var hospitalDuties = (await app.DutiesAsync(patient)).Where(d => d.Kind == DutyKind.Section1322).ToList();
        Assert.Equal(2, hospitalDuties.Count);
        var old = Assert.Single(hospitalDuties, d => d.Name == sending.Name);
        var fresh = Assert.Single(hospitalDuties, d => d.Name != sending.Name);
        Assert.Equal("RXM01", old.Hospital);
        Assert.Equal(RightsDuty.Types.State.Superseded, old.State);
        Assert.Equal(fresh.Name, old.SupersededBy);
        Assert.Contains("RXM02", old.ResolutionNote, StringComparison.Ordinal);
        Assert.Equal("RXM02", fresh.Hospital);
        Assert.Equal(RightsDuty.Types.State.Due, fresh.State);
        Assert.Equal(DutyTrigger.Transfer, fresh.Trigger);
    }

    [Fact]
    public async Task Section130D_CtoMadeForQualifyingPatient_FreshImhaDutyAndAttemptWithoutImhaInformationDoesNotCompleteIt()
    {
        // §1.3 s130D(3)(c): becoming a community patient is a fresh occasion for the IMHA information.
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var s3 = await app.StartAsync(patient, Provision.Section3);
        var first = Assert.Single(await app.DutiesAsync(patient), d => d.Kind == DutyKind.Section130D);
        app.Clock.Advance(TimeSpan.FromDays(30));

        await app.LegalStatus.ChangeProvisionAsync(new ChangeProvisionRequest
        {
            Name = s3.Name, Provision = Provision.CommunityTreatmentOrder, SuspendedProvision = Provision.Section3, ChangeTime = Scenario.At(app.Clock.GetUtcNow()),
        });

        var imha = (await app.DutiesAsync(patient)).Where(d => d.Kind == DutyKind.Section130D).ToList();
        Assert.Equal(RightsDuty.Types.State.Superseded, Assert.Single(imha, d => d.Name == first.Name).State);
        var fresh = Assert.Single(imha, d => d.Name != first.Name);
        Assert.Equal(DutyTrigger.CtoMade, fresh.Trigger);

        var without = await app.ExplainAsync(fresh, AttemptOutcome.Understood, a => a.ImhaInformationGiven = false);
        Assert.NotEqual(RightsDuty.Types.State.Understood, without.Duty.State);

        app.Clock.Advance(TimeSpan.FromHours(1));
        var with = await app.ExplainAsync(without.Duty, AttemptOutcome.Understood, a => a.ImhaInformationGiven = true);
        Assert.Equal(RightsDuty.Types.State.Understood, with.Duty.State);
    }

    [Fact]
    public async Task Section68_7_CtoRevoked_ManagersTribunalReferenceDueOnWorklistAndAudited()
    {
        // §3.3 s68(7): reference to the tribunal as soon as possible after revocation.
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var cto = await app.StartAsync(patient, Provision.CommunityTreatmentOrder, suspended: Provision.Section3);
        app.Clock.Advance(TimeSpan.FromDays(40));
        var recall = await app.LegalStatus.RecallCommunityPatientAsync(new RecallCommunityPatientRequest
        {
            Name = cto.Name, Hospital = "RXM01", RecallTime = Scenario.At(app.Clock.GetUtcNow()),
        });
        app.Clock.Advance(TimeSpan.FromHours(30));
        var revokedAt = app.Clock.GetUtcNow();

        var revoked = await app.LegalStatus.RevokeCommunityTreatmentOrderAsync(new RevokeCommunityTreatmentOrderRequest
        {
            Name = recall.CurrentEpisode.Name, RevocationTime = Scenario.At(revokedAt),
        });

        var reference = Assert.Single(await app.DutiesAsync(patient), d => d.Kind == DutyKind.TribunalReference687);
        Assert.Equal(revoked.CurrentEpisode.Name, reference.Episode);
        Assert.Equal(RightsDuty.Types.State.Due, reference.State);
        Assert.Equal(revokedAt.AddDays(7), reference.DueTime.ToDateTimeOffset());
        var list = await app.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.TribunalReferences, Hospital = "RXM01" });
        Assert.Single(list.Items, i => i.Duty.Name == reference.Name);
        var audit = (await app.Audit.ListAuditEventsAsync(new ListAuditEventsRequest { ResourcePrefix = reference.Name, PageSize = 50 })).Events;
        Assert.Contains(audit, e => e.Action == "OpenDuty" && e.Reason.Contains("s68(7)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TribunalDatesVisible_Section2_LastDayToApplyIsDay14CountingAdmissionDay()
    {
        // §3.2 s66(1)(a)/(2)(a): within 14 days beginning with the day of admission; §3.1 28 days.
        await using var app = await TestApp.StartAsync(new DateTimeOffset(2026, 12, 5, 15, 0, 0, TimeSpan.Zero));
        var patient = await app.CreatePatientAsync();

        var s2 = await app.StartAsync(patient, Provision.Section2);

        Assert.Equal(new Google.Type.Date { Year = 2027, Month = 1, Day = 1 }, s2.Calendar.LastDay);
        var window = Assert.Single(s2.Calendar.TribunalWindows);
        Assert.Equal(new Google.Type.Date { Year = 2026, Month = 12, Day = 5 }, window.FirstDay);
        Assert.Equal(new Google.Type.Date { Year = 2026, Month = 12, Day = 18 }, window.LastDay);
        Assert.Null(s2.Calendar.RenewalWindowFirstDay);
        Assert.Equal(s2.Calendar, (await GetAsync(app, s2.Name)).Calendar);
    }

    [Fact]
    public async Task TribunalDatesVisible_Section3_RenewalWindowFirstSixMonthWindowAndNoPastWindows()
    {
        // §3.1 s20(3): renewal examination in the last 2 months; §3.2 s66(1)(b): once in the first 6 months.
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();

        var s3 = await app.StartAsync(patient, Provision.Section3);

        Assert.Equal(new Google.Type.Date { Year = 2026, Month = 8, Day = 31 }, s3.Calendar.LastDay);
        Assert.Equal(new Google.Type.Date { Year = 2026, Month = 7, Day = 1 }, s3.Calendar.RenewalWindowFirstDay);
        var window = Assert.Single(s3.Calendar.TribunalWindows);
        Assert.Equal(new Google.Type.Date { Year = 2026, Month = 8, Day = 31 }, window.LastDay);
    }

    private static Task<LegalStatusEpisode> GetAsync(TestApp app, string name) =>
        app.LegalStatus.GetEpisodeAsync(new GetEpisodeRequest { Name = name }).ResponseAsync;

    private static async Task<List<RightsDuty>> OpenExplanationsAsync(TestApp app, Patient patient) =>
        (await app.DutiesAsync(patient, openOnly: true)).Where(d => d.Kind is DutyKind.Section1321 or DutyKind.Section1322 or DutyKind.Section132A or DutyKind.Section130D).ToList();
}
