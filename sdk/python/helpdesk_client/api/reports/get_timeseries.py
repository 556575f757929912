import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.grouping import Grouping
from ...models.problem import Problem
from ...models.timeseries import Timeseries
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: datetime.date,
    to: datetime.date,
    group: Grouping | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to = to.isoformat()
    params["to"] = json_to

    json_group: str | Unset = UNSET
    if not isinstance(group, Unset):
        json_group = group.value

    params["group"] = json_group

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/reports/timeseries",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Timeseries:
    if response.status_code == 200:
        response_200 = Timeseries.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | Timeseries]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.date,
    to: datetime.date,
    group: Grouping | Unset = UNSET,
) -> Response[Problem | Timeseries]:
    """The help desk's figures by day or week

    Args:
        from_ (datetime.date):
        to (datetime.date):
        group (Grouping | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Timeseries]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        group=group,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.date,
    to: datetime.date,
    group: Grouping | Unset = UNSET,
) -> Problem | Timeseries | None:
    """The help desk's figures by day or week

    Args:
        from_ (datetime.date):
        to (datetime.date):
        group (Grouping | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Timeseries
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
        group=group,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.date,
    to: datetime.date,
    group: Grouping | Unset = UNSET,
) -> Response[Problem | Timeseries]:
    """The help desk's figures by day or week

    Args:
        from_ (datetime.date):
        to (datetime.date):
        group (Grouping | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Timeseries]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        group=group,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.date,
    to: datetime.date,
    group: Grouping | Unset = UNSET,
) -> Problem | Timeseries | None:
    """The help desk's figures by day or week

    Args:
        from_ (datetime.date):
        to (datetime.date):
        group (Grouping | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Timeseries
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
            group=group,
        )
    ).parsed
