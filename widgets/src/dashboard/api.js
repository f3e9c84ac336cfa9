// The analytics API of this help center. Requests carry the token in a header, never in the address,
// so it stays out of server logs, history and the Referer of other requests.

const DASHBOARD = "../api/v1/analytics/dashboard";

class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

function apiUrl(path, params) {
  const url = new URL(path, document.baseURI);
  url.search = new URLSearchParams(params).toString();
  return url.href;
}

export function csvUrl(table, range) {
  return apiUrl(`${DASHBOARD}.csv`, { table, from: range.from, to: range.to });
}

async function call(url, token) {
  let response;
  try {
    // No cookies: the token alone says who may read the figures.
    response = await fetch(url, { headers: { Authorization: `Bearer ${token}` }, cache: "no-store", credentials: "omit" });
  } catch (error) {
    throw new ApiError(0, error.message);
  }
  if (!response.ok) throw new ApiError(response.status, await problemDetail(response));
  return response;
}

async function problemDetail(response) {
  try {
    const body = await response.json();
    return typeof body.detail === "string" ? body.detail : response.statusText;
  } catch {
    return response.statusText;
  }
}

export async function fetchDashboard(range, token) {
  const response = await call(apiUrl(DASHBOARD, { from: range.from, to: range.to }), token);
  return response.json();
}

// A link cannot send the Authorization header: fetch the file, then hand it to the browser as a download.
export async function downloadCsv(table, range, token) {
  const response = await call(csvUrl(table, range), token);
  const file = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = file;
  link.download = `help-center-${table}-${range.from}-${range.to}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next turn: the download started by click() still reads the file until then.
  setTimeout(() => URL.revokeObjectURL(file), 0);
}

export function explain(error) {
  const detail = error.message ? ` (${error.message})` : "";
  switch (error.status) {
    case 0: return `The help center could not be reached${detail}. Check the connection and try again.`;
    case 401: return `The token was refused${detail}. Enter a current admin token.`;
    case 403: return `This token may not see analytics${detail}. Enter a token with the admin role.`;
    case 404: return `This help center has no analytics API${detail}.`;
    default: return `The dashboard could not be loaded${error.status ? `: error ${error.status}` : ""}${detail}.`;
  }
}
