from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.canned_reply_view import CannedReplyView
from ...models.new_canned_reply import NewCannedReply
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: NewCannedReply,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/canned-replies",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CannedReplyView | Problem:
    if response.status_code == 201:
        response_201 = CannedReplyView.from_dict(response.json())

        return response_201

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CannedReplyView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: NewCannedReply,
) -> Response[CannedReplyView | Problem]:
    """Create a canned reply

     Placeholders: `{{requester.name}}`, `{{requester.email}}`, `{{ticket.id}}` (the ticket's number, as
    `#42`), `{{ticket.subject}}`, `{{agent.name}}`. Only admins create shared ones.

    Args:
        body (NewCannedReply):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CannedReplyView | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: NewCannedReply,
) -> CannedReplyView | Problem | None:
    """Create a canned reply

     Placeholders: `{{requester.name}}`, `{{requester.email}}`, `{{ticket.id}}` (the ticket's number, as
    `#42`), `{{ticket.subject}}`, `{{agent.name}}`. Only admins create shared ones.

    Args:
        body (NewCannedReply):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CannedReplyView | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: NewCannedReply,
) -> Response[CannedReplyView | Problem]:
    """Create a canned reply

     Placeholders: `{{requester.name}}`, `{{requester.email}}`, `{{ticket.id}}` (the ticket's number, as
    `#42`), `{{ticket.subject}}`, `{{agent.name}}`. Only admins create shared ones.

    Args:
        body (NewCannedReply):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CannedReplyView | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: NewCannedReply,
) -> CannedReplyView | Problem | None:
    """Create a canned reply

     Placeholders: `{{requester.name}}`, `{{requester.email}}`, `{{ticket.id}}` (the ticket's number, as
    `#42`), `{{ticket.subject}}`, `{{agent.name}}`. Only admins create shared ones.

    Args:
        body (NewCannedReply):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CannedReplyView | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
