// SCIMMY + scimmy-routers (npm) on 127.0.0.1 with an in-memory store: the glue SCIMMY leaves to
// its host (storage, uniqueness, bearer check). Usage: node scimmy-server.mjs PORT MOUNT TOKEN
import {randomUUID, timingSafeEqual} from "node:crypto";
import express from "express";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";

const [port, mount, token] = process.argv.slice(2);

/** One in-memory table per resource type, with the uniqueness a database index would give. */
function declare(resourceType, uniqueAttribute) {
    const rows = new Map();
    const conflict = (data, id) => uniqueAttribute && [...rows.values()].some((row) => row.id !== id
        && String(row[uniqueAttribute]).toLowerCase() === String(data[uniqueAttribute]).toLowerCase());
    SCIMMY.Resources.declare(resourceType)
        .ingress((resource, data) => {
            if (resource.id && !rows.has(resource.id))
                throw new SCIMMY.Types.Error(404, null, `Resource ${resource.id} not found`);
            if (conflict(data, resource.id))
                throw new SCIMMY.Types.Error(409, "uniqueness", `${uniqueAttribute} is already taken`);
            const now = new Date();
            const previous = rows.get(resource.id);
            const id = resource.id ?? randomUUID();
            const row = {...data, id, meta: {created: previous?.meta.created ?? now, lastModified: now}};
            rows.set(id, row);
            return row;
        })
        .egress((resource) => {
            if (resource.id) {
                if (!rows.has(resource.id))
                    throw new SCIMMY.Types.Error(404, null, `Resource ${resource.id} not found`);
                return rows.get(resource.id);
            }
            const all = [...rows.values()];
            return resource.filter ? resource.filter.match(all) : all;
        })
        .degress((resource) => {
            if (!rows.delete(resource.id))
                throw new SCIMMY.Types.Error(404, null, `Resource ${resource.id} not found`);
        });
}

declare(SCIMMY.Resources.User, "userName");
declare(SCIMMY.Resources.Group, null);  // RFC 7643 §4.2: displayName has no uniqueness

const expected = Buffer.from(token);
const app = express();
app.use(mount, new SCIMMYRouters({
    type: "bearer",
    handler: (request) => {
        // RFC 7235 §2.1: the auth-scheme is a case-insensitive token
        const [scheme, credentials] = (request.header("Authorization") ?? "").split(" ", 2);
        const given = Buffer.from(scheme?.toLowerCase() === "bearer" ? credentials ?? "" : "");
        if (given.length !== expected.length || !timingSafeEqual(given, expected))
            throw new Error("Bearer token required");
        return "accuracy-client";
    },
}));
app.listen(Number(port), "127.0.0.1");
