"use strict";
// The dashboard page: a person signs in with the Api's token endpoint, then sees one of the tenant's dashboards: its
// widgets over REST (charts as the Api's SVG), the tenant's live counters over SignalR. When the issues move (the flow
// counters change), the widgets are read again. Tokens live in this page's memory only: a reload signs in again.
(() => {
  const $ = id => document.getElementById(id);
  // Widgets are read again at most this often, however fast the issues move (a sync writes many a second).
  const redrawEvery = 10_000;
  const session = { access: null, refresh: null, expiresAt: 0, mfaToken: null, refreshing: null };
  const counters = [
    ["issuesInProgress", "In progress", true], ["issuesToDo", "To do", true], ["issuesDone", "Done", true],
    ["exportsRunning", "Exports running"], ["exportsQueued", "Exports queued"], ["syncsRunning", "Syncs running"],
    ["jiraWebhooksLastMinute", "Jira events, last minute"],
  ];
  let dashboardId = null;
  let hub = null;
  let seenFlow = null;
  let drawing = null;
  let drawAgain = false;
  let drawStartedAt = 0;
  let redraw = null;
  let imageUrls = [];

  async function problem(response) {
    try {
      const body = await response.json();
      return body.detail || Object.values(body.errors || {}).flat().join(" ") || body.title || `${response.status}`;
    } catch {
      return `${response.status} ${response.statusText}`;
    }
  }

  function keep(pair) {
    session.access = pair.accessToken;
    session.refresh = pair.refreshToken;
    session.expiresAt = Date.now() + pair.expiresIn * 1000;
  }

  async function post(path, body, headers = {}) {
    const response = await fetch(`/api/v2${path}`, {
      method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(await problem(response));
    return response.status === 204 ? null : response.json();
  }

  // A token about to expire is refreshed first, once however many callers ask meanwhile: a refresh token works once,
  // and a second use ends the session. The hub calls this too when it reconnects.
  async function accessToken() {
    if (session.refresh && Date.now() > session.expiresAt - 60_000) {
      session.refreshing ??= post("/auth/refresh", { refreshToken: session.refresh }).then(keep).finally(() => { session.refreshing = null; });
      await session.refreshing;
    }
    return session.access;
  }

  async function get(path) {
    const response = await fetch(`/api/v2${path}`, { headers: { Authorization: `Bearer ${await accessToken()}` } });
    if (!response.ok) throw new Error(await problem(response));
    return response;
  }

  function live(state) {
    $("live").dataset.state = state;
    $("live").textContent = state;
  }

  $("sign-in").addEventListener("submit", async event => {
    event.preventDefault();
    $("sign-in-error").textContent = "";
    try {
      const answer = session.mfaToken
        ? await post("/auth/mfa", { mfaToken: session.mfaToken, code: $("code").value })
        : await post("/auth/token", { email: $("email").value, password: $("password").value, tenant: $("tenant").value || null });
      if (answer.mfaRequired) {
        session.mfaToken = answer.mfaToken;
        $("code-label").hidden = false;
        $("code").focus();
        return;
      }
      session.mfaToken = null;
      keep(answer);
      $("password").value = "";
      await open();
    } catch (error) {
      $("sign-in-error").textContent = error.message;
    }
  });

  $("sign-out").addEventListener("click", async () => {
    await hub?.stop();
    hub = null;
    clearTimeout(redraw);
    redraw = null;
    try {
      await post("/auth/logout", {}, { Authorization: `Bearer ${await accessToken()}` });
    } catch (error) {
      console.warn(`Signing out: ${error.message}`); // the session ends anyway when its tokens expire
    }
    Object.assign(session, { access: null, refresh: null, expiresAt: 0 });
    // Nothing of this tenant stays for whoever signs in next.
    for (const id of ["widgets", "counters", "dashboards"]) $(id).replaceChildren();
    for (const id of ["dashboard-name", "computed-at", "board-error"]) $(id).textContent = "";
    imageUrls.forEach(URL.revokeObjectURL);
    imageUrls = [];
    seenFlow = null;
    dashboardId = null;
    $("board").hidden = $("sign-out").hidden = $("dashboards").hidden = true;
    $("sign-in").hidden = false;
    live("offline");
  });

  $("dashboards").addEventListener("change", () => {
    dashboardId = $("dashboards").value;
    history.replaceState(null, "", `#${dashboardId}`);
    draw();
  });

  async function open() {
    const dashboards = await (await get("/analytics/dashboards")).json();
    $("sign-in").hidden = true;
    $("sign-out").hidden = false;
    $("board").hidden = false;
    if (dashboards.length === 0) {
      $("board-error").textContent = "This tenant has no dashboard yet: create one with POST /api/v2/analytics/dashboards.";
      return;
    }
    const select = $("dashboards");
    select.replaceChildren(...dashboards.map(d => new Option(d.name, d.id)));
    select.hidden = dashboards.length < 2;
    const asked = location.hash.slice(1);
    dashboardId = dashboards.some(d => d.id === asked) ? asked : dashboards[0].id;
    select.value = dashboardId;
    await draw();
    await connect();
  }

  // One reading at a time; a change that arrives meanwhile reads once more after it.
  async function draw() {
    if (drawing) {
      drawAgain = true;
      return drawing;
    }
    drawing = (async () => {
      do {
        drawAgain = false;
        drawStartedAt = Date.now();
        try {
          await drawWidgets();
          $("board-error").textContent = "";
        } catch (error) {
          $("board-error").textContent = error.message;
        }
      } while (drawAgain);
    })();
    try {
      await drawing;
    } finally {
      drawing = null;
    }
  }

  // When the issues move: read the widgets again, but not sooner than redrawEvery after the last reading.
  function drawSoon() {
    if (redraw) return;
    redraw = setTimeout(() => {
      redraw = null;
      draw();
    }, Math.max(0, drawStartedAt + redrawEvery - Date.now()));
  }

  async function drawWidgets() {
    // One reading computes every widget, charts drawn as SVG included.
    const data = await (await get(`/analytics/dashboards/${dashboardId}/data?svg=true`)).json();
    const previous = imageUrls;
    imageUrls = [];
    const cards = data.widgets.map(widgetCard);
    $("dashboard-name").textContent = data.name;
    $("widgets").replaceChildren(...cards);
    $("widgets").dataset.computedAt = data.computedAt;
    $("computed-at").textContent = `Computed ${new Date(data.computedAt).toLocaleString()}`;
    previous.forEach(URL.revokeObjectURL);
  }

  function element(tag, className, text) {
    const made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text;
    return made;
  }

  function widgetCard(widget) {
    const card = element("article", "widget");
    card.dataset.index = widget.index;
    card.dataset.kind = widget.kind;
    card.append(element("h3", "", widget.title));
    if (widget.problem) {
      card.append(element("p", "problem", widget.problem));
      return card;
    }
    if (widget.kind === "chart") {
      // The Api's SVG, shown as an image: an image runs no script, whatever a name from Jira in it says.
      const image = element("img");
      image.alt = widget.title;
      image.src = URL.createObjectURL(new Blob([widget.svg], { type: "image/svg+xml" }));
      imageUrls.push(image.src);
      card.append(image);
    } else {
      // WIP is shown as it stands at the window's end; the other figures as the items they counted.
      const now = widget.name === "wip" ? widget.series?.at(-1)?.count : undefined;
      card.append(element("p", "figure", String(now ?? widget.count)));
      card.append(element("p", "", now === undefined ? `${widget.count} items` : `in progress at the end of ${widget.to}`));
      const d = widget.distribution;
      if (d) card.append(element("p", "", `P50 ${d.p50} · P85 ${d.p85} · P95 ${d.p95} days`));
    }
    card.append(element("p", "basis", `${widget.name}, ${widget.from} to ${widget.to}, ${widget.basis.definitionName} v${widget.basis.definitionVersion}`));
    return card;
  }

  function showCounters(now) {
    $("counters").replaceChildren(...counters
      .filter(([, , flow]) => !flow || now.flow)
      .map(([name, label, flow]) => {
        const item = element("li");
        const value = element("span", "value", String(flow ? now.flow[name] : now[name]));
        value.id = `counter-${name}`;
        item.append(value, label);
        return item;
      }));
    const flow = JSON.stringify(now.flow);
    if (seenFlow !== null && flow !== seenFlow) drawSoon();
    seenFlow = flow;
  }

  async function connect() {
    const settings = await (await fetch("/dashboard/settings")).json();
    if (!settings.hubUrl) {
      live("no live counters");
      return;
    }
    hub = new signalR.HubConnectionBuilder()
      .withUrl(settings.hubUrl, { accessTokenFactory: accessToken, withCredentials: false })
      .withAutomaticReconnect()
      .build();
    hub.on("dashboardCounters", showCounters);
    hub.onreconnecting(() => live("reconnecting"));
    hub.onreconnected(async () => {
      showCounters(await hub.invoke("SubscribeToDashboard"));
      live("live");
    });
    hub.onclose(() => live("offline"));
    await hub.start();
    showCounters(await hub.invoke("SubscribeToDashboard"));
    live("live");
  }
})();
